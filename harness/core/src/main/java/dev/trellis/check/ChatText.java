package dev.trellis.check;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Chat text as bytes and as the robust chat relays it: cleaning, UTF-8 and control-character
 * tests, and byte searches for the protocol's fixed strings, kept apart from the session model
 * that uses them. ASCII, the common case, takes a fast path everywhere.
 */
final class ChatText {
    private ChatText() {}

    /**
     * Text as the robust chat relays it: invalid UTF-8 and every character that can forge what a
     * terminal shows (controls, format characters such as the bidi overrides, line and paragraph
     * separators) replaced by U+FFFD.
     */
    static String clean(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.UTF_8);
        if (ascii(bytes) && s.chars().noneMatch(c -> c < 0x20 || c == 0x7f)) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(c -> out.appendCodePoint(spoofs(c) ? 0xFFFD : c));
        return out.toString();
    }

    /** Whether {@code cp} can change how a terminal shows the text around it. */
    static boolean spoofs(int cp) {
        return Character.isISOControl(cp) || switch (Character.getType(cp)) {
            case Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
            default -> false;
        };
    }

    /** Whether a received line is valid UTF-8 ({@code text} its decoding) with no control character. */
    static boolean cleanText(byte[] bytes, String text) {
        if (ascii(bytes)) {
            for (byte b : bytes) {
                if (b < 0x20 || b == 0x7f) {
                    return false;
                }
            }
            return true;
        }
        return validUtf8(bytes) && text.codePoints().noneMatch(ChatText::spoofs);
    }

    private static boolean ascii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code bytes} are valid UTF-8. */
    static boolean validUtf8(byte[] bytes) {
        if (ascii(bytes)) {
            return true;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** The protocol's fixed strings in bytes, made once: they are searched for in every history. */
    private static final Map<String, byte[]> ASCII = Map.of(
            ChatSessions.PROMPT, ChatSessions.PROMPT.getBytes(StandardCharsets.UTF_8),
            ChatSessions.ANOTHER, ChatSessions.ANOTHER.getBytes(StandardCharsets.UTF_8),
            ChatSessions.META, ChatSessions.META.getBytes(StandardCharsets.UTF_8),
            "\n", new byte[] {'\n'});

    private static byte[] bytesOf(String s) {
        byte[] b = ASCII.get(s);
        return b != null ? b : s.getBytes(StandardCharsets.UTF_8);
    }

    static boolean startsWith(byte[] b, int pos, String s) {
        return startsWith(b, pos, bytesOf(s));
    }

    static boolean startsWith(byte[] b, int pos, byte[] p) {
        if (pos + p.length > b.length) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            if (b[pos + i] != p[i]) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(byte[] b, int from, String s) {
        return indexOf(b, from, s, b.length);
    }

    /** Where {@code s} starts in {@code b}, ending no later than {@code to}; -1 if nowhere. */
    static int indexOf(byte[] b, int from, String s, int to) {
        byte[] p = bytesOf(s);
        outer:
        for (int i = from; i + p.length <= to; i++) {
            for (int j = 0; j < p.length; j++) {
                if (b[i + j] != p[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
