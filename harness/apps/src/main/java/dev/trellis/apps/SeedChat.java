package dev.trellis.apps;

import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.Handler;
import dev.trellis.runtime.Trellis;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The trio tutorial's {@code ChatServer}, ported line for line with every bug it has: the program
 * the harness exists to break. Do not fix it here; the robust chat is a separate program.
 *
 * <p>What the Python does, and so what this does:
 * <ul>
 *   <li>Each received chunk is one message: a line split by TCP becomes two messages, two lines
 *       arriving together become one, and a name split in a chunk registers a prefix of it.</li>
 *   <li>The users map is iterated while sending to each user, and every send is a checkpoint. A
 *       Python dict raises when it changes size during iteration; here a {@link LinkedHashMap}'s
 *       fail-fast iterator does, plus a size check at the end of the loop, because Python
 *       checks the size even on the final {@code next()} while Java's {@code hasNext()} does
 *       not. So a join or leave during someone's broadcast throws
 *       {@link ConcurrentModificationException} in the broadcaster's handler.</li>
 *   <li>A send that fails (the receiver reset) throws in the <em>sender's</em> handler. Served
 *       with {@code OnHandlerFailure.PROPAGATE}, as trio's {@code serve_tcp} does, any handler
 *       failure takes the whole server down.</li>
 *   <li>A user who stops reading fills their stream and stalls whoever broadcasts to them, and a
 *       second broadcaster then meets the first inside {@code sendAll} (trio's
 *       {@code BusyResourceError}).</li>
 *   <li>Any name is accepted: empty, with control characters, or imitating {@code <meta>}.</li>
 *   <li>The name is decoded with a strict UTF-8 decoder, as Python's {@code bytes.decode()} is:
 *       invalid bytes, or a multi-byte character split across chunks, throw
 *       {@link CharacterCodingException} and kill the server. Messages are never decoded; they are
 *       relayed as raw bytes, as in the Python.</li>
 * </ul>
 *
 * <p>The seed's listing is mangled; this port restores what the surviving indentation and the
 * transcript make evident, nothing more:
 * <ul>
 *   <li>The {@code )} closing each {@code send_all(} call.</li>
 *   <li>The {@code else:} after "Username taken": a taken name sends that prompt and nothing
 *       else; otherwise the user is registered, welcomed, and announced to the others.</li>
 *   <li>The {@code else:} between the welcome and the "joined" notice inside the join loop.</li>
 *   <li>The {@code else:} before "# broadcast the data to other users" (indented one level
 *       deeper than the login test): the login chunk is not itself broadcast.</li>
 *   <li>The {@code try:} before {@code del self.users[current_user_name]} and the {@code pass}
 *       under {@code except KeyError:}: once the stream ends, a logged-in user is removed and
 *       everyone left hears "left"; one who never logged in ({@code None} is not a key) is
 *       silently skipped. The leave runs only after a clean end-of-stream: when receiving
 *       raises, the handler raises, and there is no leave.</li>
 * </ul>
 * The transcript shows {@code <meta>: bob joined the chat.}, but the code sends
 * {@code <meta>: bob joined.}; the code wins.
 *
 * <p>For a recorded history, it emits typed trace events (ignored by the real runtime); user ids
 * number connections from 1 in the order their handlers start:
 * <ul>
 *   <li>{@code chat.join user count}: a user was registered; {@code count} users now.</li>
 *   <li>{@code chat.leave user count}: a user was removed; {@code count} users remain.</li>
 *   <li>{@code chat.broadcast message sender}: a received chunk is about to be relayed; messages
 *       number from 1 in the order they are received.</li>
 *   <li>{@code chat.deliver message receiver}: that chunk was sent to that user.</li>
 * </ul>
 * A note {@code chat.name user name} records each registered name.
 *
 * <p>One instance serves every connection of a server, sharing its users map, as the Python's
 * {@code ChatServer()} instance does.
 */
public final class SeedChat implements Handler {
    /** What trio's {@code SocketStream} receives at most per {@code async for} step. */
    static final int RECEIVE_SIZE = 65_536;

    static final byte[] PROMPT = ascii("<meta>: Please enter username: ");
    static final byte[] TAKEN = ascii("<meta>: Username taken. Please enter another: ");

    /** Python's dict: insertion order, one stream per name. */
    private final LinkedHashMap<String, ByteStream> users = new LinkedHashMap<>();
    /** Ids of the streams of registered users, for events; insertion order, identity never iterated. */
    private final Map<ByteStream, Long> ids = new LinkedHashMap<>();
    private long nextConnection;
    private long nextMessage;

    /** A chat server with no users yet. */
    public SeedChat() {}

    @Override
    public void handle(ByteStream stream) throws Exception {
        long me = ++nextConnection;
        stream.sendAll(PROMPT);
        String currentUserName = null;
        byte[] buf = new byte[RECEIVE_SIZE];
        int n;
        while ((n = stream.receiveSome(buf, 0, buf.length)) > 0) {
            byte[] data = Arrays.copyOf(buf, n);
            if (!users.containsValue(stream)) {
                // handle login
                String proposedUserName = pythonStrip(decodeStrictly(data));
                if (users.containsKey(proposedUserName)) {
                    stream.sendAll(TAKEN);
                } else {
                    currentUserName = proposedUserName;
                    users.put(currentUserName, stream);
                    ids.put(stream, me);
                    Trellis.note("chat.name " + me + " " + currentUserName);
                    Trellis.event("chat.join", me, users.size());
                    String joined = currentUserName;
                    forEachUser((userName, userStream) -> {
                        if (userName.equals(joined)) {
                            userStream.sendAll(utf8("<meta>: Welcome " + joined + ".\n"));
                        } else {
                            userStream.sendAll(utf8("<meta>: " + joined + " joined.\n"));
                        }
                    });
                }
            } else {
                // broadcast the data to other users
                long message = ++nextMessage;
                Trellis.event("chat.broadcast", message, me);
                byte[] line = concat(utf8("<" + currentUserName + "> : "), data);
                String sender = currentUserName;
                forEachUser((userName, userStream) -> {
                    if (!userName.equals(sender)) {
                        // Read before the send, which a leave may interleave; bookkeeping must never add a failure.
                        long receiver = ids.getOrDefault(userStream, 0L);
                        userStream.sendAll(line);
                        Trellis.event("chat.deliver", message, receiver);
                    }
                });
            }
        }
        // try: del self.users[current_user_name] ... except KeyError: pass
        if (currentUserName != null && users.containsKey(currentUserName)) {
            users.remove(currentUserName);
            ids.remove(stream);
            Trellis.event("chat.leave", me, users.size());
            String left = currentUserName;
            forEachUser((userName, userStream) -> userStream.sendAll(utf8("<meta>: " + left + " left\n")));
        }
    }

    /**
     * {@code for user_name, user_stream in self.users.items(): body}, with Python's rule that the
     * dict must not change size while it is iterated, checked at every step including the last.
     */
    private void forEachUser(BiConsumer<String, ByteStream> body) {
        int size = users.size();
        Iterator<Map.Entry<String, ByteStream>> it = users.entrySet().iterator();
        while (true) {
            if (users.size() != size) {
                throw new ConcurrentModificationException("dictionary changed size during iteration");
            }
            if (!it.hasNext()) {
                return;
            }
            Map.Entry<String, ByteStream> e = it.next();   // fail-fast: any other change throws here
            body.accept(e.getKey(), e.getValue());
        }
    }

    /** Python's {@code bytes.decode()}: UTF-8, and any malformed or truncated sequence raises. */
    static String decodeStrictly(byte[] data) throws CharacterCodingException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        return decoder.decode(ByteBuffer.wrap(data)).toString();
    }

    /** Python's {@code str.strip()}: what Python calls whitespace, which is more than Java's. */
    static String pythonStrip(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && isPythonSpace(s.charAt(from))) {
            from++;
        }
        while (to > from && isPythonSpace(s.charAt(to - 1))) {
            to--;
        }
        return s.substring(from, to);
    }

    private static boolean isPythonSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
