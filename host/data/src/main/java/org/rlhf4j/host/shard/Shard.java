package org.rlhf4j.host.shard;

/**
 * One shard of a job split into {@code count} independent runs ({@code --shard i/N}, for Slurm array jobs or
 * Kubernetes indexed jobs: no scheduler is assumed). A shard takes a contiguous range of the job's units (batches
 * of records, or input files), so its outputs concatenated in shard order are the unsharded outputs.
 *
 * @param index i, from 0
 * @param count N
 */
public record Shard(int index, int count) {

    /** The whole job, unsharded. */
    public static final Shard ALL = new Shard(0, 1);

    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard " + index + "/" + count + ": need 0 <= i < N");
        }
    }

    /** Parses {@code i/N}, e.g. {@code 3/8} (the fourth of eight). */
    public static Shard parse(String text) {
        String[] parts = text.trim().split("/");
        try {
            if (parts.length == 2) {
                return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--shard '" + text + "' is not i/N (e.g. 0/4: the first of four shards)");
    }

    /** The first unit of this shard among {@code units}: units are spread as evenly as they divide. */
    public long from(long units) {
        return units * index / count;
    }

    /** One past the last unit of this shard among {@code units}. */
    public long to(long units) {
        return units * (index + 1) / count;
    }

    /** What a shard adds to an output's name: {@code .shard-3-of-8}; nothing for the whole job. */
    public String suffix() {
        return count == 1 ? "" : suffix(index, count);
    }

    /** The suffix of shard {@code i} of {@code n}. */
    public static String suffix(int i, int n) {
        return ".shard-" + i + "-of-" + n;
    }
}
