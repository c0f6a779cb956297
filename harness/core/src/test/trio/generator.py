"""Seeded random programs in the TrioProgram language, shaped to hit nursery and cancel-scope
corners: cancels from children while the parent waits in the nursery exit, shielded children
the exit must wait for, deadlines and fail_after around nurseries, raises at every depth,
siblings started into outer nurseries, and marks after nurseries and scopes (so whether the
code after a cancelled nursery runs is observed).

Every sleep, deadline and timeout is a round number of hundreds of microseconds plus an offset
used once per program, so absolute event times rarely coincide; oracle.judge throws out the
programs where they still do, or where trio's schedules disagree.
"""
import random

MAX_DEPTH = 4  # scopes, fail-afters and nurseries nest at most this deep


class Ctx:
    """What code at one point may name: labels to cancel and nurseries to start into.

    Mostly scopes and nurseries that enclose the task's place in the task tree: a child started
    into nursery N sees what N's statement saw, plus N, and N outlives it. {late} are the
    nurseries its starter could name that it does not live in (it was started out of them into
    an outer one): a start into one of those may find it closed, which trio refuses.
    """

    def __init__(self, depth, labels, nurseries, late=()):
        # depth counts the scopes, fail-afters and nurseries the code is written in, whichever
        # nursery its task was started into.
        self.depth = depth
        self.labels = labels
        self.nurseries = nurseries
        self.late = list(late)

    def inside(self, label, is_nursery=False):
        return Ctx(self.depth + 1, self.labels + [label],
                   self.nurseries + [label] if is_nursery else self.nurseries, self.late)


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)

    def program(self):
        self.counts = {}
        self.offsets = list(range(1, 100))
        self.rng.shuffle(self.offsets)
        # Statements; once spent, compounds degrade to sleeps. Varied, so that small programs
        # (the easy ones to read when they fail) are common too.
        self.budget = self.rng.randint(6, 30)
        self.child_ctx = {}
        top = Ctx(0, [], [])
        body = self.compound(top)
        if self.rng.random() < 0.25:
            body += self.compound(top)
        if self.rng.random() < 0.5:
            body.append(self.mark("end"))
        return body

    # ---- leaves ----

    def name(self, prefix):
        self.counts[prefix] = self.counts.get(prefix, 0) + 1
        return f"{prefix}{self.counts[prefix]}"

    def micros(self):
        """A duration: 100..800 µs plus an offset no other duration in the program has."""
        base = self.rng.choice([1, 2, 3, 4, 5, 6, 8]) * 100
        return base + (self.offsets.pop() if self.offsets else self.rng.randint(1, 99))

    def sleep(self):
        self.budget -= 1
        return {"sleep": self.micros()}

    def mark(self, name=None):
        self.budget -= 1
        return {"mark": name or self.name("m")}

    def boom(self):
        self.budget -= 1
        return {"raise": self.name("E")}

    def cancel(self, ctx):
        self.budget -= 1
        # Favour the innermost labels a little: cancelling the nearest nursery or scope is the
        # common case; cancelling far out crosses more exits.
        labels = ctx.labels
        weights = [1 + i for i in range(len(labels))]
        return {"cancel": self.rng.choices(labels, weights)[0]}

    # ---- compounds ----

    def compound(self, ctx):
        """A scope, fail-after or nursery, perhaps with a mark after it; a sleep when too deep."""
        if ctx.depth >= MAX_DEPTH or self.budget <= 0:
            return [self.sleep()]
        kind = self.rng.choices(["nursery", "scope", "failAfter"], [5, 3, 2])[0]
        return getattr(self, kind)(ctx)

    def nursery(self, ctx):
        label = self.name("n")
        inner = ctx.inside(label, is_nursery=True)
        self.child_ctx[label] = inner
        self.budget -= 1
        body = [self.start(label, inner) for _ in range(self.rng.randint(1, 4))]
        r = self.rng.random()
        if r < 0.15:
            body += [self.sleep(), self.boom()]  # the block raises while children run
        elif r < 0.30:
            body += [self.sleep(), self.cancel(inner)]
        elif r < 0.45:
            body += self.compound(inner)  # the block does more nested work before its exit
        elif r < 0.55:
            body.insert(self.rng.randint(1, len(body)), self.sleep())  # a start after a sleep
        if len(inner.nurseries) > 1 and self.rng.random() < 0.3:
            body.append(self.start_back(label, inner))
        out = [{"nursery": label, "body": body}]
        if self.rng.random() < 0.6:
            out.append(self.mark("after_" + label))
        return out

    def scope(self, ctx):
        label = self.name("s")
        inner = ctx.inside(label)
        self.budget -= 1
        s = {"scope": label}
        if self.rng.random() < 0.5:
            s["deadline"] = self.micros()
        if self.rng.random() < 0.3:
            s["shield"] = True
        if self.rng.random() < 0.7:
            s["body"] = self.compound(inner)  # mostly around a nursery
        else:
            s["body"] = self.child_body(inner)
        if self.rng.random() < 0.3:
            s["body"].append(self.sleep())
        out = [s]
        if self.rng.random() < 0.5:
            out.append(self.mark("after_" + label))
        return out

    def fail_after(self, ctx):
        label = self.name("f")
        inner = ctx.inside(label)
        self.budget -= 1
        deep = inner.depth >= MAX_DEPTH
        body = self.nursery(inner) if not deep and self.rng.random() < 0.8 else [self.sleep()]
        out = [{"failAfter": label, "timeout": self.micros(), "body": body}]
        if self.rng.random() < 0.5:
            out.append(self.mark("after_" + label))
        return out

    failAfter = fail_after

    def start(self, into, starter):
        """A child of nursery {into}, written where {starter} is: it may name what {into} may, plus {into},
        and start into the nurseries {starter} can name that do not outlive it."""
        self.budget -= 1
        name = self.name("t")
        task = self.child_ctx[into]
        late = [n for n in starter.nurseries + starter.late if n not in task.nurseries]
        return {"start": name, "into": into,
                "body": self.child_body(Ctx(starter.depth, task.labels, task.nurseries, late))}

    def start_back(self, label, inner):
        """A child started out of nursery {label} into an outer one that, after a sleep, starts a
        task back into {label}: trio refuses it if {label} has closed by then."""
        self.budget -= 1
        outer = self.rng.choice(inner.nurseries[:-1])
        task = self.child_ctx[outer]
        ctx = Ctx(inner.depth, task.labels, task.nurseries, [label])
        return {"start": self.name("t"), "into": outer, "body": [self.sleep(), self.start(label, ctx)]}

    # ---- children ----

    def child_body(self, ctx):
        body = []
        for _ in range(self.rng.randint(1, 3)):
            if self.budget <= 0:
                break
            kind = self.rng.choices(
                ["sleep", "cancel", "raise", "mark", "shielded", "deadline", "nested", "sibling"],
                [2, 3, 2, 2, 3, 1, 2, 2])[0]
            if kind in ("shielded", "deadline") and ctx.depth >= MAX_DEPTH:
                kind = "sleep"
            if kind == "sleep":
                body.append(self.sleep())
            elif kind == "cancel":
                body += [self.sleep(), self.cancel(ctx)]
            elif kind == "raise":
                if self.rng.random() < 0.8:
                    body.append(self.sleep())
                body.append(self.boom())
                return body  # nothing after a raise would run
            elif kind == "mark":
                body += [self.sleep(), self.mark()]
            elif kind == "shielded":
                body.append(self.shielded(ctx))
            elif kind == "deadline":
                label = self.name("s")
                self.budget -= 1
                body.append({"scope": label, "deadline": self.micros(), "body": [self.sleep()]})
            elif kind == "nested":
                body += self.compound(ctx)
            elif ctx.late and self.rng.random() < 0.6:  # start into a nursery that may have closed
                body += [self.sleep(), self.start(self.rng.choice(ctx.late), ctx)]
            elif ctx.nurseries:  # start a sibling into this or an outer nursery
                body.append(self.start(self.rng.choice(ctx.nurseries), ctx))
        if not body:
            body.append(self.sleep())
        elif self.rng.random() < 0.3:
            body.append(self.mark())
        return body

    def shielded(self, ctx):
        """A shielded sleep, so a cancelled nursery's exit has to wait for it; maybe more after."""
        label = self.name("s")
        self.budget -= 1
        body = [self.sleep()]
        r = self.rng.random()
        if r < 0.25:
            body.append(self.boom())
        elif r < 0.5:
            body.append(self.mark())
        elif r < 0.65:
            body.append(self.cancel(ctx.inside(label)))
        return {"scope": label, "shield": True, "body": body}
