package dev.trellis.check;

import dev.trellis.runtime.BrokenStreamException;
import dev.trellis.runtime.ByteStream;
import dev.trellis.runtime.Channel;
import dev.trellis.runtime.ClosedResourceException;
import dev.trellis.runtime.Handler;
import dev.trellis.runtime.Nursery;
import dev.trellis.runtime.Trellis;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small correct chat with one bug switched in at a time: the subjects that show each rule of
 * {@link ChatInvariants} catches the bug it names and passes the chat without it. Line framing, an
 * unbounded outbox per user and its writer task, notices; no length limits (the workloads here
 * send none that matter).
 */
final class MutantChat implements Handler {
    enum Bug {
        NONE, DUPLICATE_NAMES, SELF_ECHO, MESSAGE_BEFORE_WELCOME, NO_JOIN_NOTICE, RAW_BYTES, REORDER, DROP_EVERY_THIRD,
        REPLAY_HISTORY, SLOW_DELIVERY, HANG_ON_CONTROL_NAME, INSANE_NAMES, SPLIT_BROADCAST,
        LOSE_TAIL, DOUBLE_LEAVE, NO_LEAVE, JOIN_TO_SELF, DROP_A_READER, EARLY_LEAVE_NOTICE,
        /** Drops paula as too slow at the first line relayed from 400 ms on, long after she began to read. */
        DROP_PAUSED_LATE,
        /** Not a bug: drops paula at the first line relayed, while she is not reading yet. */
        DROP_PAUSED_EARLY
    }

    private final Bug bug;
    private final Map<String, Channel<byte[]>> users = new LinkedHashMap<>();
    private final Map<String, Integer> said = new LinkedHashMap<>();
    private final List<byte[]> history = new ArrayList<>();
    private final Channel<Boolean> stuck = Channel.unbuffered();
    private int relayed;
    private final Map<String, byte[]> held = new LinkedHashMap<>();

    MutantChat(Bug bug) {
        this.bug = bug;
    }

    @Override
    public void handle(ByteStream stream) throws Exception {
        Channel<byte[]> outbox = Channel.bounded(1_000_000);
        Nursery.open(n -> {
            n.start("writer", () -> {
                try {
                    for (byte[] line : outbox) {
                        if (bug == Bug.SLOW_DELIVERY && line[0] == '<' && line[1] != 'm') {
                            Trellis.sleep(Duration.ofMillis(150));   // messages only: notices go at once
                        }
                        stream.sendAll(line);
                    }
                } catch (BrokenStreamException | ClosedResourceException gone) {
                    // the user is gone
                }
            });
            String name = null;
            try {
                stream.sendAll(utf8("<meta>: Please enter username: "));
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                byte[] buf = new byte[1024];
                int got = 0;
                while (got >= 0 && (got = stream.receiveSome(buf, 0, buf.length)) != 0) {
                    // At end-of-stream a last line without its newline still counts (unless that is the bug).
                    boolean tail = got < 0 && line.size() > 0 && bug != Bug.LOSE_TAIL;
                    for (int i = 0; i < (got < 0 ? (tail ? 1 : 0) : got); i++) {
                        if (got > 0 && buf[i] != '\n') {
                            line.write(buf[i]);
                            continue;
                        }
                        byte[] bytes = line.toByteArray();
                        line.reset();
                        if (name == null) {
                            name = login(bytes, outbox);
                        } else if (bug == Bug.DROP_A_READER && said.merge(name, 1, Integer::sum) == 3) {
                            users.remove(name);   // a reader dropped as too slow on its third line, unfairly
                            broadcast(name, utf8("<meta>: " + name + " left (too slow)\n"));
                            outbox.trySend(utf8("<meta>: You were disconnected: you did not read fast enough.\n"));
                            name = null;
                            got = -1;
                            break;
                        } else {
                            if (bug == Bug.EARLY_LEAVE_NOTICE && said.merge(name, 1, Integer::sum) == 2) {
                                broadcast(name, utf8("<meta>: " + name + " left\n"));   // it has not left
                            }
                            relay(name, bytes);
                        }
                    }
                }
            } catch (BrokenStreamException gone) {
                // leave below
            } finally {
                if (name != null && users.get(name) == outbox) {
                    users.remove(name);
                    if (bug != Bug.NO_LEAVE) {
                        broadcast(null, utf8("<meta>: " + name + " left\n"));
                    }
                    if (bug == Bug.DOUBLE_LEAVE) {
                        broadcast(null, utf8("<meta>: " + name + " left\n"));
                    }
                }
                outbox.close();
            }
        });
    }

    /** The accepted name, or null after a refusal. */
    private String login(byte[] bytes, Channel<byte[]> outbox) {
        String name = new String(bytes, StandardCharsets.UTF_8).strip();
        if (bug == Bug.HANG_ON_CONTROL_NAME && name.codePoints().anyMatch(Character::isISOControl)) {
            stuck.receive();   // nobody ever sends: this handler, and every login after it, waits forever
        }
        boolean sane = !name.isEmpty() && name.length() <= 32 && !name.startsWith("<")
                && name.codePoints().noneMatch(c -> Character.isISOControl(c) || c == 0xFFFD);
        if (!sane && bug != Bug.INSANE_NAMES) {
            outbox.trySend(utf8("<meta>: Bad name. Please enter another: "));
            return null;
        }
        if (users.containsKey(name) && bug != Bug.DUPLICATE_NAMES) {
            outbox.trySend(utf8("<meta>: Username taken. Please enter another: "));
            return null;
        }
        if (bug == Bug.MESSAGE_BEFORE_WELCOME && !history.isEmpty()) {
            outbox.trySend(history.get(history.size() - 1));
        }
        outbox.trySend(utf8("<meta>: Welcome " + name + ".\n"));
        if (bug == Bug.REPLAY_HISTORY) {
            history.forEach(outbox::trySend);
        }
        users.put(name, outbox);
        if (bug != Bug.NO_JOIN_NOTICE) {
            broadcast(bug == Bug.JOIN_TO_SELF ? null : name, utf8("<meta>: " + name + " joined.\n"));
        }
        return name;
    }

    private void relay(String from, byte[] text) {
        boolean late = Trellis.now().compareTo(Duration.ofMillis(400)) >= 0;
        if ((bug == Bug.DROP_PAUSED_EARLY || bug == Bug.DROP_PAUSED_LATE && late) && users.containsKey("paula")) {
            Channel<byte[]> paula = users.remove("paula");
            broadcast(null, utf8("<meta>: paula left (too slow)\n"));
            paula.trySend(utf8("<meta>: You were disconnected: you did not read fast enough.\n"));
            paula.close();
        }
        String clean = bug == Bug.RAW_BYTES ? null : ChatText.clean(text);
        byte[] line = clean == null ? concat(utf8("<" + from + "> : "), text) : utf8("<" + from + "> : " + clean + "\n");
        history.add(line);
        if (bug == Bug.DROP_EVERY_THIRD && ++relayed % 3 == 0) {
            return;
        }
        if (bug == Bug.REORDER) {
            byte[] first = held.remove(from);
            if (first == null) {
                held.put(from, line);   // each sender's odd lines wait for its next one, which overtakes them
                return;
            }
            broadcast(from, line);
            line = first;
        }
        if (bug == Bug.SPLIT_BROADCAST) {
            // A checkpoint between receivers: another broadcast can overtake this one half way.
            for (Map.Entry<String, Channel<byte[]>> u : List.copyOf(users.entrySet())) {
                if (!u.getKey().equals(from)) {
                    u.getValue().trySend(line);
                    Trellis.checkpoint();
                }
            }
            return;
        }
        broadcast(bug == Bug.SELF_ECHO ? null : from, line);
    }

    /** One atomic step: no checkpoint between the sends, so every receiver sees one order. */
    private void broadcast(String except, byte[] line) {
        for (Map.Entry<String, Channel<byte[]>> u : users.entrySet()) {
            if (!u.getKey().equals(except)) {
                try {
                    u.getValue().trySend(line);
                } catch (ClosedResourceException closed) {
                    // that user's handler is finishing
                }
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length + 1);
        System.arraycopy(b, 0, out, a.length, b.length);
        out[out.length - 1] = '\n';
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
