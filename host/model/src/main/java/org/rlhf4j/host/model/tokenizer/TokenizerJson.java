package org.rlhf4j.host.model.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hugging Face {@code tokenizer.json} (the tokenizers library's format) for both of our tokenizers.
 *
 * <ul>
 *   <li>byte-level BPE: model BPE with vocab and merges, ByteLevel pre-tokenizer and decoder, exactly as
 *       GPT-2's tokenizer.json; loads in {@code PreTrainedTokenizerFast(tokenizer_file=...)}.</li>
 *   <li>char: model BPE with one entry per character and no merges, no pre-tokenizer, a Fuse decoder.</li>
 * </ul>
 * Specials are {@code added_tokens} with {@code special: true}. Merges are read in both the old
 * ({@code "a b"}) and the new ({@code ["a", "b"]}) form.
 */
public final class TokenizerJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TokenizerJson() {
    }

    /** Reads either kind of tokenizer, with the file named in every error. */
    public static Tokenizer read(Path file) throws IOException {
        JsonNode root = JSON.readTree(Files.readAllBytes(file));
        JsonNode model = root.path("model");
        if (!model.path("type").asText("BPE").equals("BPE")) {
            throw new IOException(file + ": model.type " + model.path("type") + " is not supported (BPE only)");
        }
        Map<String, Integer> specialIds = new LinkedHashMap<>();
        for (JsonNode t : root.path("added_tokens")) {
            specialIds.put(t.path("content").asText(), t.path("id").asInt());
        }
        if (!specialIds.containsKey(SpecialTokens.END_OF_TEXT)) {
            throw new IOException(file + ": added_tokens has no " + SpecialTokens.END_OF_TEXT);
        }
        SpecialTokens specials = new SpecialTokens(specialIds);
        Map<String, Integer> vocab = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = model.path("vocab").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!specialIds.containsKey(e.getKey())) {
                vocab.put(e.getKey(), e.getValue().asInt());
            }
        }
        List<String[]> merges = new ArrayList<>();
        int n = 0;
        for (JsonNode m : model.path("merges")) {
            String[] pair = m.isArray() ? new String[] {m.get(0).asText(), m.get(1).asText()} : m.asText().split(" ", 2);
            if (pair.length != 2) {
                throw new IOException(file + ": model.merges[" + n + "] is not a pair: " + m);
            }
            merges.add(pair);
            n++;
        }
        boolean byteLevel = root.path("pre_tokenizer").path("type").asText("").equals("ByteLevel");
        try {
            if (byteLevel) {
                return new ByteLevelBpe(vocab, merges, specials);
            }
            if (!merges.isEmpty()) {
                throw new IOException(file + ": a BPE with merges but without the ByteLevel pre-tokenizer is not supported");
            }
            int[] cps = new int[vocab.size()];
            for (Map.Entry<String, Integer> e : vocab.entrySet()) {
                if (e.getKey().codePointCount(0, e.getKey().length()) != 1 || e.getValue() >= cps.length) {
                    throw new IOException(file + ": char tokenizer entry '" + e.getKey() + "' -> " + e.getValue()
                            + " is not one character with an id below " + cps.length);
                }
                cps[e.getValue()] = e.getKey().codePointAt(0);
            }
            return new CharTokenizer(cps, specials);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    static void writeByteLevel(ByteLevelBpe t, Path file) throws IOException {
        ObjectNode root = header(t.specials());
        ObjectNode byteLevel = JSON.createObjectNode().put("type", "ByteLevel").put("add_prefix_space", false)
                .put("trim_offsets", true).put("use_regex", true);
        root.set("pre_tokenizer", byteLevel);
        root.set("post_processor", byteLevel.deepCopy().put("trim_offsets", false));
        root.set("decoder", byteLevel.deepCopy());
        ObjectNode model = bpeModel(root);
        ObjectNode vocab = model.putObject("vocab");
        t.vocab().entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> vocab.put(e.getKey(), e.getValue()));
        t.specials().asMap().forEach(vocab::put);
        ArrayNode merges = model.putArray("merges");
        for (String[] m : t.merges()) {
            merges.addArray().add(m[0]).add(m[1]);
        }
        write(root, file);
    }

    static void writeChar(CharTokenizer t, Path file) throws IOException {
        ObjectNode root = header(t.specials());
        root.putNull("pre_tokenizer");
        root.putNull("post_processor");
        root.putObject("decoder").put("type", "Fuse");
        ObjectNode model = bpeModel(root);
        ObjectNode vocab = model.putObject("vocab");
        int[] cps = t.codePoints();
        for (int i = 0; i < cps.length; i++) {
            vocab.put(new String(Character.toChars(cps[i])), i);
        }
        t.specials().asMap().forEach(vocab::put);
        model.putArray("merges");
        write(root, file);
    }

    private static ObjectNode header(SpecialTokens specials) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        specials.asMap().forEach((content, id) -> added.addObject().put("id", id).put("content", content)
                .put("single_word", false).put("lstrip", false).put("rstrip", false).put("normalized", false)
                .put("special", true));
        root.putNull("normalizer");
        return root;
    }

    private static ObjectNode bpeModel(ObjectNode root) {
        return root.putObject("model").put("type", "BPE").putNull("dropout").putNull("unk_token")
                .put("continuing_subword_prefix", "").put("end_of_word_suffix", "").put("fuse_unk", false)
                .put("byte_fallback", false).put("ignore_merges", false);
    }

    private static void write(ObjectNode root, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    }
}
