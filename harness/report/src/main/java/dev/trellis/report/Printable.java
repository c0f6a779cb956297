package dev.trellis.report;

/**
 * Bytes and texts from applications and peers made safe to print on one line: control
 * characters, invisible formatting characters (a right-to-left override can make a line read
 * backwards) and bytes that are not UTF-8 are shown escaped, so what a report shows is what
 * was on the wire.
 */
final class Printable {
    private Printable() {}

    /**
     * The bytes as text: valid UTF-8 as its characters, {@code \n}, {@code \r}, {@code \t} and
     * {@code \\} as such, any other control or invalid byte as {@code \xNN}. Past {@code max}
     * bytes the rest is left out and counted: {@code … (1200 more bytes)}.
     */
    static String bytes(byte[] data, int max) {
        StringBuilder sb = new StringBuilder();
        int end = Math.min(data.length, max);
        int i = 0;
        while (i < end) {
            int b = data[i] & 0xff;
            int len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
            int cp = len == 1 ? b : len == 0 ? -1 : b & (0xff >> (len + 1));
            for (int k = 1; k < len && cp >= 0; k++) {
                int c = i + k < end ? data[i + k] & 0xff : -1;
                cp = c >= 0x80 && c <= 0xbf ? (cp << 6) | (c & 0x3f) : -1;
            }
            // Overlong forms, surrogates and values past U+10FFFF are not UTF-8 either.
            boolean valid = cp >= 0 && cp >= (len == 3 ? 0x800 : len == 4 ? 0x10000 : 0) && cp <= 0x10ffff
                    && !(cp >= 0xd800 && cp <= 0xdfff);
            if (valid) {
                appendCodePoint(sb, cp);
                i += len;
            } else {
                sb.append(String.format("\\x%02x", b));
                i++;
            }
        }
        if (data.length > end) {
            sb.append("… (").append(data.length - end).append(" more bytes)");
        }
        return sb.toString();
    }

    /** The text on one line, escaped as {@link #bytes} escapes; null as {@code null}. */
    static String text(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        text.codePoints().forEach(cp -> appendCodePoint(sb, cp));
        return sb.toString();
    }

    /** The text cut to {@code max} characters, saying how many were left out. */
    static String truncate(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        return text.substring(0, max) + "… (" + (text.length() - max) + " more characters)";
    }

    private static void appendCodePoint(StringBuilder sb, int cp) {
        switch (cp) {
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            case '\\' -> sb.append("\\\\");
            default -> {
                int type = Character.getType(cp);
                if (cp < 0x80 && (cp < 0x20 || cp == 0x7f)) {
                    sb.append(String.format("\\x%02x", cp));
                } else if (type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                        || type == Character.UNASSIGNED || type == Character.LINE_SEPARATOR
                        || type == Character.PARAGRAPH_SEPARATOR) {
                    sb.append(String.format("\\u{%x}", cp));
                } else {
                    sb.appendCodePoint(cp);
                }
            }
        }
    }
}
