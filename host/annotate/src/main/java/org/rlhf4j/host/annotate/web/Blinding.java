package org.rlhf4j.host.annotate.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.host.annotate.store.AnnotationStore;
import org.rlhf4j.host.annotate.store.TaskStore.StoredTask;

/**
 * What keeps a blind A/B comparison blind to the person judging it. Its stored order says which model is
 * which (the evaluate stage stores the previous model's answer first), and its id may name the stage
 * evaluated; so an annotator sees the two answers in an order drawn with a secret kept in the store
 * (HMAC-SHA256 of task and annotator: the same person always sees the same order, nobody can work it out),
 * knows the task only by an opaque alias made with the same secret, and gets their own labels back in the
 * order they were shown. Projects exported to other annotation tools use the same order and alias
 * ({@code org.rlhf4j.host.annotate.interchange}).
 */
public final class Blinding {

    static final String ALIAS_PREFIX = "ab-";

    private final AnnotationStore store;
    private final SecretKeySpec key;
    private final Set<String> recorded = ConcurrentHashMap.newKeySet();

    public Blinding(AnnotationStore store) {
        this.store = store;
        this.key = new SecretKeySpec(store.secret("blind-ab"), "HmacSHA256");
    }

    /** True for the tasks shown blind: two-answer comparisons. */
    public static boolean blind(AnnotationTask t) {
        return t.kind() == AnnotationTask.Kind.COMPARE && t.answers().size() == 2;
    }

    /** Display position to stored index, for {@code annotator}. */
    public List<Integer> order(StoredTask t, String annotator) {
        int k = t.task().answers().size();
        if (blind(t.task()) && (mac("order", t.task().id(), annotator)[0] & 1) == 1) {
            return List.of(1, 0);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            order.add(i);
        }
        return order;
    }

    /** The id an annotator knows the task by: its own id, or for a blind task its alias. */
    public String shownId(AnnotationTask t) {
        if (!blind(t)) {
            return t.id();
        }
        String alias = ALIAS_PREFIX + HexFormat.of().formatHex(mac("alias", t.id())).substring(0, 24);
        if (recorded.add(alias)) {
            store.tasks().alias(alias, t.id());
        }
        return alias;
    }

    /** The task an id from an annotator names; empty when none (a blind task is named only by its alias). */
    public Optional<String> resolve(String shown) {
        if (shown.startsWith(ALIAS_PREFIX)) {
            Optional<String> aliased = store.tasks().aliased(shown);
            if (aliased.isPresent()) {
                return aliased;
            }
        }
        Optional<StoredTask> t = store.tasks().latest(shown);
        return t.isPresent() && !blind(t.get().task()) ? Optional.of(shown) : Optional.empty();
    }

    private byte[] mac(String... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            for (String p : parts) {
                mac.update(p.getBytes(StandardCharsets.UTF_8));
                mac.update((byte) 0);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
