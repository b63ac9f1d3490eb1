package org.ldapmailcow.auth;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Parses what mailcow puts into a domain's {@code SOGoUserSources} array, with the JDK's XML parser, into the
 * key/value pairs of its one {@code <dict>}: a {@code <string>} as its text, an {@code <array>} as a list.
 */
final class PlistSource {

    private PlistSource() {
    }

    static Map<String, Object> parse(String fragment) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        String document = "<array>" + fragment + "</array>";
        Element array = factory.newDocumentBuilder()
                .parse(new ByteArrayInputStream(document.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
        List<Element> dicts = children(array);
        if (dicts.size() != 1 || !dicts.get(0).getTagName().equals("dict")) {
            throw new IllegalArgumentException("expected exactly one <dict>, got " + dicts.size() + " elements");
        }
        Map<String, Object> source = new LinkedHashMap<>();
        List<Element> entries = children(dicts.get(0));
        for (int i = 0; i < entries.size(); i += 2) {
            Element key = entries.get(i);
            Element value = entries.get(i + 1);
            if (!key.getTagName().equals("key")) {
                throw new IllegalArgumentException("expected <key>, got <" + key.getTagName() + ">");
            }
            source.put(key.getTextContent(), switch (value.getTagName()) {
                case "string" -> value.getTextContent();
                case "array" -> children(value).stream().map(Element::getTextContent).toList();
                default -> throw new IllegalArgumentException("unexpected <" + value.getTagName() + ">");
            });
        }
        return source;
    }

    private static List<Element> children(Element parent) {
        List<Element> elements = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                elements.add(e);
            }
        }
        return elements;
    }
}
