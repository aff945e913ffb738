package org.rlhf4j.host.wiring;

/**
 * PyTorch's thread counts, set before the engine starts: it reads them once (docs/pitfalls.md#threads, djl #2019).
 * Every command that starts the engine goes through here.
 */
public final class EngineThreads {

    private EngineThreads() {
    }

    /**
     * {@code threads > 0}: that many intra-op threads. {@code 0}: the JVM's {@code -Dai.djl.pytorch.num_threads} when
     * it was started with one, else one per core. Inter-op threads 1 unless the JVM says otherwise; DJL offline.
     */
    public static void configure(int threads) {
        if (threads > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
        } else if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(Runtime.getRuntime().availableProcessors()));
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        System.setProperty("ai.djl.offline", "true");
    }
}
