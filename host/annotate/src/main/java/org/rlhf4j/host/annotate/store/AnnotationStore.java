package org.rlhf4j.host.annotate.store;

/** The annotation database with its three parts: tasks, labels and accounts. Close it when done. */
public final class AnnotationStore implements AutoCloseable {

    private final Database db;
    private final TaskStore tasks;
    private final LabelStore labels;
    private final Accounts accounts;

    private AnnotationStore(Database db) {
        this.db = db;
        this.tasks = new TaskStore(db);
        this.labels = new LabelStore(db);
        this.accounts = new Accounts(db);
    }

    /** Opens (creating when needed) the store at a JDBC URL. */
    public static AnnotationStore open(String jdbcUrl) {
        return new AnnotationStore(Database.open(jdbcUrl));
    }

    public TaskStore tasks() {
        return tasks;
    }

    public LabelStore labels() {
        return labels;
    }

    public Accounts accounts() {
        return accounts;
    }

    /** The JDBC URL of this store. */
    public String url() {
        return db.url();
    }

    @Override
    public void close() {
        db.close();
    }
}
