package org.rlhf4j.host.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * The keys and values of the tokens a {@link Gpt} has already seen, per layer, so that sampling feeds
 * only the new token instead of recomputing the whole prefix. Keys are kept transposed, (B, H, D, P), so
 * that attention multiplies by them directly; values are (B, H, P, D).
 *
 * <p>Owns its arrays in its own manager; close it when the batch is done.
 */
public final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private long length;

    public KvCache(NDManager parent, int layers) {
        this.manager = parent.newSubManager();
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    /** Tokens cached so far (P). */
    public long length() {
        return length;
    }

    /** Appends one layer's new keys (B, H, D, T) and values (B, H, T, D); returns all of them. */
    NDList append(int layer, NDArray kT, NDArray v) {
        if (keys[layer] == null) {
            keys[layer] = kT.duplicate();
            values[layer] = v.duplicate();
            keys[layer].attach(manager);
            values[layer].attach(manager);
        } else {
            NDArray k2 = keys[layer].concat(kT, 3);    // (B, H, D, P + T)
            NDArray v2 = values[layer].concat(v, 2);   // (B, H, P + T, D)
            keys[layer].close();
            values[layer].close();
            keys[layer] = k2;
            values[layer] = v2;
        }
        return new NDList(keys[layer], values[layer]);
    }

    /** Called by the model once every layer has appended {@code t} tokens. */
    void advance(long t) {
        length += t;
    }

    @Override
    public void close() {
        manager.close();
    }
}
