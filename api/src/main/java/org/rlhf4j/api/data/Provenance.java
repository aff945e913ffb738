package org.rlhf4j.api.data;

/**
 * Where a record came from: the source's name in the config, the file, and the 1-based line (or
 * record number for formats without lines; 0 when unknown). Carried through every stage so a
 * report or an error can point back at the input.
 *
 * @since 0.1.0
 */
public record Provenance(String source, String file, long line) {

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line : file;
    }
}
