package io.cnn4j.report;

import java.util.List;

/**
 * A page of the report being written: sections with headings, tables, figures and pictures, as HTML that
 * is also well-formed XML (every element closed, only XML's five entities), so that an XML parser can
 * check it. One file, no scripts, nothing fetched: the styles are inline, the charts inline SVG and the
 * pictures {@code data:} URIs, so the page opens offline and can be mailed as it is.
 */
final class Html {
    private static final String STYLE = """
            :root { color-scheme: light; }
            body { font-family: system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; color: #1a1a1a;
                   background: #f6f7f9; margin: 0; line-height: 1.45; }
            main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 64px; background: #ffffff; }
            h1 { font-size: 28px; margin: 8px 0 4px; }
            h2 { font-size: 21px; margin: 40px 0 12px; padding-top: 12px; border-top: 2px solid #e3e6ea; }
            h3 { font-size: 16px; margin: 22px 0 8px; }
            p.status { color: #4a4a4a; margin: 0 0 16px; }
            nav ol { columns: 2; margin: 8px 0 0; padding-left: 22px; }
            nav a, a { color: #0b5cad; }
            table { border-collapse: collapse; margin: 8px 0 16px; font-size: 14px; }
            th, td { padding: 4px 10px; border-bottom: 1px solid #e3e6ea; text-align: left; vertical-align: top; }
            th { background: #eef1f5; font-weight: 600; }
            table.facts th { background: none; color: #4a4a4a; font-weight: 500; white-space: nowrap; }
            tbody tr:nth-child(even) { background: #f8f9fb; }
            td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
            code { font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace; font-size: 13px;
                   background: #f1f3f5; padding: 1px 4px; border-radius: 3px; overflow-wrap: anywhere; }
            .charts { display: flex; flex-wrap: wrap; gap: 16px; }
            .charts > figure { flex: 1 1 460px; max-width: 560px; margin: 0; }
            .small > figure { flex: 0 1 300px; }
            svg { max-width: 100%; height: auto; display: block; }
            .tiles { display: flex; flex-wrap: wrap; gap: 14px; }
            .tiles figure { margin: 0; width: 132px; font-size: 12px; }
            .tiles.pairs figure { width: 272px; }
            .tiles img { width: 128px; height: 128px; border: 1px solid #d0d4da; }
            figcaption { color: #333333; font-size: 13px; margin-top: 4px; }
            img.px { image-rendering: pixelated; }
            img.maps { max-width: 100%; height: auto; border: 1px solid #d0d4da; }
            figure.maps { margin: 0 0 14px; }
            .note { color: #4a4a4a; font-size: 14px; }
            .wrong { color: #b3261e; }
            """;

    private final StringBuilder body = new StringBuilder();
    private final String title;

    Html(String title) {
        this.title = title;
    }

    /** {@code text} as HTML character data or attribute value. */
    static String escape(String text) {
        return Svg.escape(text);
    }

    Html raw(String html) {
        body.append(html);
        return this;
    }

    Html heading(int level, String id, String text) {
        body.append("<h").append(level).append(id == null ? "" : " id=\"" + escape(id) + "\"").append('>').append(escape(text))
                .append("</h").append(level).append(">\n");
        return this;
    }

    Html paragraph(String cssClass, String text) {
        body.append("<p class=\"").append(cssClass).append("\">").append(escape(text)).append("</p>\n");
        return this;
    }

    /** A table of names and values, the names as row headings. */
    Html facts(String id, java.util.Map<String, String> facts) {
        body.append("<table id=\"").append(escape(id)).append("\" class=\"facts\">\n<tbody>\n");
        facts.forEach((k, v) -> body.append("<tr><th scope=\"row\">").append(escape(k)).append("</th><td>").append(escape(v))
                .append("</td></tr>\n"));
        body.append("</tbody></table>\n");
        return this;
    }

    /** A table; cells that parse as numbers are right-aligned. {@code id} may be null. */
    Html table(String id, List<String> headers, List<List<String>> rows) {
        body.append("<table").append(id == null ? "" : " id=\"" + escape(id) + "\"").append(">\n<thead><tr>");
        for (int c = 0; c < headers.size(); c++) {
            boolean numeric = !rows.isEmpty() && numeric(rows.getFirst().get(c));
            body.append(numeric ? "<th class=\"num\">" : "<th>").append(escape(headers.get(c))).append("</th>");
        }
        body.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : rows) {
            body.append("<tr>");
            for (String cell : row) {
                body.append(numeric(cell) ? "<td class=\"num\">" : "<td>").append(escape(cell)).append("</td>");
            }
            body.append("</tr>\n");
        }
        body.append("</tbody></table>\n");
        return this;
    }

    private static boolean numeric(String cell) {
        return cell.matches("[-+]?[0-9][0-9,]*(\\.[0-9]+)?%?|–");
    }

    /** An {@code <img>} of a PNG data URI, shown {@code width x height} CSS pixels. */
    static String image(String dataUri, int width, int height, String cssClass, String alt) {
        return "<img class=\"" + cssClass + "\" src=\"" + dataUri + "\" width=\"" + width + "\" height=\"" + height
                + "\" alt=\"" + escape(alt) + "\"/>";
    }

    /** The whole page. */
    String toHtml() {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>" + escape(title)
                + "</title>\n<style>\n" + STYLE + "</style>\n</head>\n<body>\n<main>\n" + body + "</main>\n</body>\n</html>\n";
    }
}
