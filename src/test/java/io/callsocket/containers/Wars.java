package io.callsocket.containers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** The built WAR with settings of a deployment put into its WEB-INF/web.xml, as an operator would edit them. */
final class Wars {
    private static final String WEB_XML = "WEB-INF/web.xml";

    private Wars() {
    }

    static Path withSettings(Path war, Path out, Map<String, String> settings) throws IOException {
        Files.createDirectories(out.getParent());
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(war));
             ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                zip.putNextEntry(new ZipEntry(entry.getName()));
                if (entry.getName().equals(WEB_XML)) {
                    String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    zip.write(withContextParams(xml, settings).getBytes(StandardCharsets.UTF_8));
                } else {
                    in.transferTo(zip);
                }
                zip.closeEntry();
            }
        }
        return out;
    }

    /** Sets each context-param that web.xml has, and adds those it lacks. */
    static String withContextParams(String xml, Map<String, String> settings) {
        String result = xml;
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            Pattern existing = Pattern.compile("(<param-name>" + Pattern.quote(setting.getKey())
                    + "</param-name>\\s*<param-value>)[^<]*(</param-value>)");
            Matcher m = existing.matcher(result);
            if (m.find()) {
                result = m.replaceFirst("$1" + Matcher.quoteReplacement(setting.getValue()) + "$2");
            } else {
                String param = "  <context-param>\n    <param-name>" + setting.getKey() + "</param-name>\n    <param-value>"
                        + setting.getValue() + "</param-value>\n  </context-param>\n";
                int end = result.lastIndexOf("</web-app>");
                result = result.substring(0, end) + param + result.substring(end);
            }
        }
        return result;
    }
}
