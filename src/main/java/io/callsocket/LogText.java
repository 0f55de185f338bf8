package io.callsocket;

/** Caller-supplied text made safe for one log line: escaped and cut short. */
final class LogText {
    static final int MAX = 120;

    private LogText() {
    }

    static String quote(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX) + 8).append('"');
        for (int i = 0; i < text.length() && i < MAX; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"', '\\' -> out.append('\\').append(c);
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || Character.isISOControl(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
        if (text.length() > MAX) {
            out.append("...(").append(text.length()).append(" chars)");
        }
        return out.toString();
    }
}
