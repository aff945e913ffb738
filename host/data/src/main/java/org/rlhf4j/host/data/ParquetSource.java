package org.rlhf4j.host.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.data.DataSource;
import org.rlhf4j.api.data.Record;

/**
 * Parquet files, the format Hugging Face datasets are exported in, read row group by row group (memory
 * holds one row group's pages, not the file) through parquet-hadoop's local-file reader: no Hadoop
 * file system or cluster is involved. Each row becomes a JSON object (strings, numbers, booleans, nested
 * groups, lists in the standard three-level layout) and maps through {@code format} and {@code fields}
 * like a JSON row. Records carry the 1-based row number as their line.
 */
@Extension
@ExtensionName("parquet")
public final class ParquetSource implements DataSource {

    @Override
    public SourceStream open(Config spec) throws IOException {
        return new Rows(SourceSpec.from(spec));
    }

    private static final class Rows extends FileSequenceStream {
        private ParquetFileReader reader;
        private MessageType schema;
        private RecordReader<Group> rows;
        private long left;
        private long row;

        Rows(SourceSpec spec) throws IOException {
            super(spec);
        }

        @Override
        protected void openFile(Path file) throws IOException {
            try {
                reader = ParquetFileReader.open(new LocalInputFile(file), ParquetReadOptions.builder().build());
            } catch (IOException | RuntimeException e) {
                throw new IOException("cannot read " + file + " as Parquet: " + e.getMessage(), e);
            }
            schema = reader.getFooter().getFileMetaData().getSchema();
            rows = null;
            left = 0;
            row = 0;
        }

        @Override
        protected Record readRecord() throws IOException {
            while (left == 0) {
                PageReadStore group = reader.readNextRowGroup();
                if (group == null) {
                    return null;
                }
                MessageColumnIO io = new ColumnIOFactory().getColumnIO(schema);
                rows = io.getRecordReader(group, new GroupRecordConverter(schema));
                left = group.getRowCount();
            }
            left--;
            row++;
            Group g = rows.read();
            try {
                return spec.mapping().map(toJson(g, schema), idAt(row), provenance(row));
            } catch (IllegalArgumentException e) {
                malformed.report(fileName(), row, e.getMessage());
                return readRecord();
            }
        }

        @Override
        protected void closeFile() throws IOException {
            reader.close();
        }
    }

    static ObjectNode toJson(Group g, GroupType type) {
        ObjectNode o = JsonStream.JSON.createObjectNode();
        for (int f = 0; f < type.getFieldCount(); f++) {
            Type t = type.getType(f);
            int n = g.getFieldRepetitionCount(f);
            if (n == 0) {
                continue;
            }
            if (t.isRepetition(Type.Repetition.REPEATED)) {
                ArrayNode a = o.putArray(t.getName());
                for (int i = 0; i < n; i++) {
                    a.add(value(g, f, i, t));
                }
            } else if (t.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
                ArrayNode a = o.putArray(t.getName());
                Group list = g.getGroup(f, 0);
                GroupType listType = t.asGroupType();
                for (int i = 0; i < list.getFieldRepetitionCount(0); i++) {
                    JsonNode element = value(list, 0, i, listType.getType(0));
                    a.add(element.isObject() && element.size() == 1 ? element.elements().next() : element);
                }
            } else {
                o.set(t.getName(), value(g, f, 0, t));
            }
        }
        return o;
    }

    private static JsonNode value(Group g, int field, int index, Type t) {
        var nodes = JsonStream.JSON.getNodeFactory();
        if (!t.isPrimitive()) {
            return toJson(g.getGroup(field, index), t.asGroupType());
        }
        return switch (t.asPrimitiveType().getPrimitiveTypeName()) {
            case INT32 -> nodes.numberNode(g.getInteger(field, index));
            case INT64 -> nodes.numberNode(g.getLong(field, index));
            case FLOAT -> nodes.numberNode(g.getFloat(field, index));
            case DOUBLE -> nodes.numberNode(g.getDouble(field, index));
            case BOOLEAN -> nodes.booleanNode(g.getBoolean(field, index));
            case BINARY, FIXED_LEN_BYTE_ARRAY, INT96 -> nodes.textNode(isString((PrimitiveType) t)
                    ? g.getString(field, index) : g.getBinary(field, index).toStringUsingUTF8());
        };
    }

    private static boolean isString(PrimitiveType t) {
        return t.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation;
    }
}
