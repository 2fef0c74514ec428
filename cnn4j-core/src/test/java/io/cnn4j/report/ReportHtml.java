package io.cnn4j.report;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A report page parsed with the JDK's XML parser, which fails on anything not well-formed, and read back:
 * its tables, its confusion matrix, its pictures decoded with ImageIO.
 */
final class ReportHtml {
    private static final String DOCTYPE = "<!DOCTYPE html>\n";
    private final Document document;

    private ReportHtml(Document document) {
        this.document = document;
    }

    static ReportHtml parse(String html) {
        if (!html.startsWith(DOCTYPE)) {
            throw new AssertionError("the page does not start with " + DOCTYPE);
        }
        try {
            var factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            String body = html.substring(DOCTYPE.length());
            return new ReportHtml(factory.newDocumentBuilder().parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))));
        } catch (Exception e) {
            throw new AssertionError("not well-formed: " + e.getMessage(), e);
        }
    }

    List<Element> elements(String tag) {
        NodeList nodes = document.getElementsByTagName(tag);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }

    Element byId(String id) {
        return elements("*").stream().filter(e -> e.getAttribute("id").equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no element with id " + id));
    }

    /** The body rows of the table with this id, each as its cells' texts. */
    List<List<String>> table(String id) {
        List<List<String>> rows = new ArrayList<>();
        NodeList trs = ((Element) byId(id).getElementsByTagName("tbody").item(0)).getElementsByTagName("tr");
        for (int r = 0; r < trs.getLength(); r++) {
            NodeList tds = ((Element) trs.item(r)).getElementsByTagName("td");
            List<String> row = new ArrayList<>();
            for (int c = 0; c < tds.getLength(); c++) {
                row.add(tds.item(c).getTextContent());
            }
            rows.add(row);
        }
        return rows;
    }

    /** The first SVG chart whose title is {@code title}: its cells' counts, row by row. */
    List<Integer> confusionCounts(String title) {
        for (Element svg : elements("svg")) {
            if (svg.getElementsByTagName("title").item(0).getTextContent().equals(title)) {
                List<Integer> counts = new ArrayList<>();
                NodeList rects = svg.getElementsByTagName("rect");
                for (int i = 0; i < rects.getLength(); i++) {
                    Element r = (Element) rects.item(i);
                    if (r.getAttribute("class").equals("cell")) {
                        counts.add(Integer.parseInt(r.getAttribute("data-count")));
                    }
                }
                return counts;
            }
        }
        throw new AssertionError("no chart titled " + title);
    }

    /** Every {@code <img>}'s picture, decoded by ImageIO from its PNG data URI. */
    List<BufferedImage> images() throws IOException {
        List<BufferedImage> out = new ArrayList<>();
        for (Element img : elements("img")) {
            String src = img.getAttribute("src");
            String prefix = "data:image/png;base64,";
            if (!src.startsWith(prefix)) {
                throw new AssertionError("an image that is not a PNG data URI: " + src.substring(0, Math.min(60, src.length())));
            }
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(src.substring(prefix.length()))));
            if (image == null) {
                throw new AssertionError("ImageIO cannot decode the picture " + img.getAttribute("alt"));
            }
            out.add(image);
        }
        return out;
    }
}
