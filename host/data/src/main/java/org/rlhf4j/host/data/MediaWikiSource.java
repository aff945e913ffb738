package org.rlhf4j.host.data;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.pf4j.Extension;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.data.DataSource;
import org.rlhf4j.api.data.Record;

/**
 * MediaWiki XML dumps as Wikipedia publishes them ({@code pages-articles.xml.bz2}), read with a StAX
 * parser page by page. Articles of the namespaces in {@code namespaces} (default {@code [0]}) become
 * DOCUMENTs of their title and plain text ({@link WikiText}); redirects are passed over. Meta:
 * {@code title}, {@code page-id}. Broken XML is malformed and ends the file.
 */
@Extension
@ExtensionName("mediawiki")
public final class MediaWikiSource implements DataSource {

    @Override
    public SourceStream open(Config spec) throws IOException {
        SourceSpec s = SourceSpec.from(spec);
        java.util.List<Integer> ns = spec.hasPath("namespaces") ? spec.getIntList("namespaces") : java.util.List.of(0);
        return new Pages(s, java.util.Set.copyOf(ns));
    }

    private static final class Pages extends FileSequenceStream {
        private static final XMLInputFactory XML = XMLInputFactory.newFactory();
        private final java.util.Set<Integer> namespaces;
        private InputStream in;
        private XMLStreamReader xml;

        Pages(SourceSpec spec, java.util.Set<Integer> namespaces) throws IOException {
            super(spec);
            this.namespaces = namespaces;
        }

        @Override
        protected void openFile(Path file) throws IOException {
            in = InputFiles.open(file);
            try {
                xml = XML.createXMLStreamReader(in, "UTF-8");
            } catch (XMLStreamException e) {
                throw new IOException("cannot read " + file + " as XML: " + e.getMessage(), e);
            }
        }

        @Override
        protected Record readRecord() throws IOException {
            try {
                while (xml.hasNext()) {
                    if (xml.next() == XMLStreamConstants.START_ELEMENT && xml.getLocalName().equals("page")) {
                        Record r = page(xml.getLocation().getLineNumber());
                        if (r != null) {
                            return r;
                        }
                    }
                }
            } catch (XMLStreamException e) {
                long line = e.getLocation() == null ? 0 : e.getLocation().getLineNumber();
                malformed.report(fileName(), line, "broken XML (rest of the file skipped): " + e.getMessage());
            }
            return null;
        }

        private Record page(long line) throws XMLStreamException {
            String title = "";
            String id = "";
            String text = "";
            int ns = 0;
            boolean redirect = false;
            while (xml.hasNext()) {
                int ev = xml.next();
                if (ev == XMLStreamConstants.END_ELEMENT && xml.getLocalName().equals("page")) {
                    break;
                }
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    switch (xml.getLocalName()) {
                        case "title" -> title = xml.getElementText();
                        case "ns" -> ns = Integer.parseInt(xml.getElementText().trim());
                        case "id" -> {
                            String v = xml.getElementText().trim();
                            if (id.isEmpty()) {
                                id = v; // the page's id comes before its revision's
                            }
                        }
                        case "redirect" -> redirect = true;
                        case "text" -> text = xml.getElementText();
                        default -> {
                        }
                    }
                }
            }
            if (redirect || !namespaces.contains(ns)) {
                return null;
            }
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("format", "mediawiki");
            meta.put("title", title);
            meta.put("page-id", id);
            String body = WikiText.of(text);
            return Record.document(spec.name() + ":" + (id.isEmpty() ? fileName() + ":" + line : id),
                    title + "\n\n" + body, meta, provenance(line));
        }

        @Override
        protected void closeFile() throws IOException {
            try {
                xml.close();
            } catch (XMLStreamException e) {
                throw new IOException(e);
            }
            in.close();
        }
    }
}
