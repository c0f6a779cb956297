package dev.trellis.scenario;

/** Bytes written as hex in a scenario: {@code "c3 28 0a"}, spaces optional. */
final class Hex {
    private Hex() {}

    static byte[] parse(String text) {
        String t = text.replaceAll("\\s+", "");
        if (t.isEmpty() || t.length() % 2 != 0 || !t.matches("[0-9a-fA-F]+")) {
            throw new IllegalArgumentException("hex is pairs of hex digits such as 'c3 28 0a', was [" + text + "]");
        }
        byte[] out = new byte[t.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(t.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
