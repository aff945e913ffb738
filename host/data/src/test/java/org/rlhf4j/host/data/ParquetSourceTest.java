package org.rlhf4j.host.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.host.testkit.DataTestKit;
import org.rlhf4j.api.data.Record;

class ParquetSourceTest {

    @TempDir
    Path dir;

    @Test
    void readsRowsOfAHuggingFaceStyleFileWithoutHadoop() throws IOException {
        MessageType schema = MessageTypeParser.parseMessageType(
                "message row { required binary prompt (STRING); required binary chosen (STRING); required binary rejected (STRING);"
                        + " optional int64 score; }");
        Path file = dir.resolve("train-00000-of-00001.parquet");
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file)).withConf(new PlainParquetConfiguration()).withType(schema)
                .withCompressionCodec(CompressionCodecName.SNAPPY).build()) {
            for (int i = 0; i < 300; i++) {
                Group g = groups.newGroup().append("prompt", "\n\nHuman: 问题 " + i + "\n\nAssistant:")
                        .append("chosen", " good " + i).append("rejected", " bad " + i);
                if (i % 2 == 0) {
                    g.append("score", (long) i);
                }
                w.write(g);
            }
        }
        List<Record> rs = DataTestKit.read(new ParquetSource(), "path = \"" + file + "\", name = rm, meta-fields = [score]");
        assertEquals(300, rs.size());
        Record r = rs.get(299);
        assertEquals(Record.Kind.PREFERENCE, r.kind());
        assertEquals("问题 299", r.messages().get(0).content());
        assertEquals(List.of("good 299", "bad 299"), r.answers());
        assertEquals(300, r.provenance().line());
        assertEquals("298", rs.get(298).meta().get("score"));
        assertEquals(null, r.meta().get("score"));
    }
}
