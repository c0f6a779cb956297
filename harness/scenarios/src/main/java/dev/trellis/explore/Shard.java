package dev.trellis.explore;

/**
 * One of N disjoint slices of every scenario's seeds, for spreading a large budget over CI jobs: a
 * GitHub Actions matrix gives each job {@code --shard k/N}; a Kubernetes Indexed Job gives
 * {@code --shard auto/N}, which reads the pod's {@code JOB_COMPLETION_INDEX} (0-based). Slice k
 * (1-based) of a scenario's seeds {@code [first, first + count)} is
 * {@code [first + (k-1)·count/N, first + k·count/N)}: contiguous, so that {@code trellis merge}
 * adds the slices' summaries up to what one unsharded run gives.
 *
 * @param index 1 to {@code count}
 * @param count how many shards
 */
public record Shard(int index, int count) {
    /** The environment variable a Kubernetes Indexed Job sets in each pod (0-based). */
    public static final String K8S_INDEX = "JOB_COMPLETION_INDEX";

    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException("a shard is k/N with 1 <= k <= N, was [" + index + "/" + count + "]");
        }
    }

    /** Reads {@code k/N} or {@code auto/N}; {@code env} gives {@value #K8S_INDEX} for {@code auto}. */
    public static Shard parse(String text, java.util.function.Function<String, String> env) {
        String t = text.strip();
        int slash = t.indexOf('/');
        if (slash < 1) {
            throw new IllegalArgumentException("--shard takes k/N (1 <= k <= N) or auto/N, was [" + text + "]");
        }
        int n;
        try {
            n = Integer.parseInt(t.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--shard takes k/N (1 <= k <= N) or auto/N, was [" + text + "]");
        }
        String k = t.substring(0, slash);
        if (k.equals("auto")) {
            String index = env.apply(K8S_INDEX);
            if (index == null || index.isBlank()) {
                throw new IllegalArgumentException("--shard auto/" + n + " reads " + K8S_INDEX
                        + " (set in each pod of a Kubernetes Indexed Job), which is not set");
            }
            int i;
            try {
                i = Integer.parseInt(index.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(K8S_INDEX + " is not a number: [" + index + "]");
            }
            if (i < 0 || i >= n) {
                throw new IllegalArgumentException(K8S_INDEX + " is " + i + ", but --shard auto/" + n + " takes 0 to "
                        + (n - 1) + " (k/N with k from 1 to N)");
            }
            return new Shard(i + 1, n);
        }
        try {
            return new Shard(Integer.parseInt(k), n);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--shard takes k/N (1 <= k <= N) or auto/N, was [" + text + "]");
        }
    }

    /** The first seed of this shard's slice of {@code [first, first + seeds)}. */
    public long first(long first, long seeds) {
        return first + seeds * (index - 1) / count;
    }

    /** How many seeds this shard's slice holds (0 when there are fewer seeds than shards). */
    public long seeds(long seeds) {
        return seeds * index / count - seeds * (index - 1) / count;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
