"""Trio as the oracle for Trellis's nursery and cancel-scope semantics.

Runs programs in the TrioProgram language (see
harness/core/src/test/java/dev/trellis/runtime/TrioProgram.java) on real trio 0.22 under a
MockClock, and records what happened in the Outcome form the Java side compares against.
TrioCorpusTest requires Trellis's simulator to produce the same outcome on every seed.

Regenerate the committed corpus (from the repository root; about a minute):

    python3 harness/core/src/test/trio/oracle.py generate --seed 1 --count 400 \\
        > harness/core/src/test/resources/trio/corpus.json

Show that a corpus file is trio's (re-runs every program, reports mismatches, exit 1 if any):

    python3 harness/core/src/test/trio/oracle.py check harness/core/src/test/resources/trio/corpus.json

Run one program:  python3 oracle.py run '[{"nursery": "n1", "body": [...]}]'

Needs Python 3.11 and trio 0.22.2 (MultiError semantics: non-strict groups, one collapses).
"""
import argparse
import json
import math
import sys
import warnings

import trio
import trio.testing
from trio._core import _run as trio_run

from generator import Generator
from handwritten import HANDWRITTEN

warnings.simplefilter("ignore", trio.TrioDeprecationWarning)

TRIO_VERSION = "0.22.2"


class Boom(Exception):
    """What {"raise": name} raises; the name is what the outcome lists."""

    def __init__(self, name):
        super().__init__(name)
        self.name = name


def now_us():
    return round(trio.current_time() * 1e6)


class Causality(trio.abc.Instrument):
    """Which recorded events happen before which (vector clocks as sets of event ids).

    A task knows the events it performed, those its spawner knew when it was spawned, and
    those of every task that woke it. Timer expiries wake tasks without passing knowledge on.
    Two events at one instant in different tasks, neither knowing the other, are ordered by
    the scheduler alone: such a program is tie-prone.
    """

    def __init__(self):
        self.knows = {}
        self.events = []  # (id, task, micros, kind, frozenset of known ids)

    def _current(self):
        return trio_run.GLOBAL_RUN_CONTEXT.__dict__.get("task")

    def task_spawned(self, task):
        parent = self._current()
        self.knows[task] = set(self.knows.get(parent, ())) if parent is not None else set()

    def task_scheduled(self, task):
        waker = self._current()
        if waker is not None and waker is not task:
            self.knows.setdefault(task, set()).update(self.knows.get(waker, ()))

    def record(self, kind):
        task = trio.lowlevel.current_task()
        known = self.knows.setdefault(task, set())
        eid = len(self.events)
        self.events.append((eid, task, now_us(), kind, frozenset(known)))
        known.add(eid)

    def concurrent_pairs(self):
        out = []
        for i, a in enumerate(self.events):
            for b in self.events[i + 1:]:
                if a[1] is not b[1] and a[2] == b[2] and a[0] not in b[4] and b[0] not in a[4]:
                    out.append(f"{a[3]} and {b[3]} at {a[2]} us in different tasks")
        return out


class Interpreter:
    def __init__(self, causality):
        self.causality = causality
        self.marks = []
        self.caught = {}
        self.timers = []  # absolute micros of every sleep end and deadline armed
        self.end = None

    async def main(self, program):
        try:
            await self.block(program, {})
        finally:
            self.end = now_us()

    async def block(self, stmts, env):
        for s in stmts:
            await self.stmt(s, env)

    async def stmt(self, s, env):
        if "sleep" in s:
            self.timers.append(now_us() + s["sleep"])
            await trio.sleep(s["sleep"] / 1e6)
        elif "mark" in s:
            self.causality.record("mark " + s["mark"])
            self.marks.append(f"{s['mark']}@{now_us()}")
        elif "raise" in s:
            self.causality.record("raise " + s["raise"])
            raise Boom(s["raise"])
        elif "cancel" in s:
            self.causality.record("cancel " + s["cancel"])
            target = env[s["cancel"]]
            (target.cancel_scope if isinstance(target, trio.Nursery) else target).cancel()
        elif "scope" in s:
            deadline = math.inf
            if s.get("deadline") is not None:
                self.timers.append(now_us() + s["deadline"])
                deadline = trio.current_time() + s["deadline"] / 1e6
            cs = trio.CancelScope(deadline=deadline, shield=s.get("shield", False))
            try:
                with cs:
                    await self.block(s["body"], {**env, s["scope"]: cs})
            finally:
                self.caught[s["scope"]] = cs.cancelled_caught
        elif "failAfter" in s:
            self.timers.append(now_us() + s["timeout"])
            cs = None
            try:
                # fail_after is move_on_at plus "raise TooSlowError if cancelled_caught".
                with trio.fail_after(s["timeout"] / 1e6) as cs:
                    await self.block(s["body"], {**env, s["failAfter"]: cs})
            finally:
                self.caught[s["failAfter"]] = cs.cancelled_caught
        elif "nursery" in s:
            nursery = None
            try:
                async with trio.open_nursery() as nursery:
                    await self.block(s["body"], {**env, s["nursery"]: nursery})
            finally:
                if nursery is not None:
                    self.caught[s["nursery"]] = nursery.cancel_scope.cancelled_caught
        elif "start" in s:
            try:
                env[s["into"]].start_soon(self.block, s["body"], env, name=s["start"])
            except RuntimeError as e:
                # A start into a nursery that has closed; named like a raise so outcomes compare.
                if "closed to new arrivals" not in str(e):
                    raise
                self.causality.record("refused start " + s["start"])
                raise Boom("Closed") from e
        else:
            raise ValueError(f"unknown statement {s}")


def leaf_names(exc):
    """The leaves of an escaping exception, flattening MultiError / ExceptionGroup."""
    if isinstance(exc, BaseExceptionGroup):
        return [n for e in exc.exceptions for n in leaf_names(e)]
    if isinstance(exc, Boom):
        return [exc.name]
    if isinstance(exc, trio.TooSlowError):
        return ["TooSlow"]
    if isinstance(exc, trio.Cancelled):
        return ["Cancelled"]
    return [f"{type(exc).__name__}: {exc}"]  # a bug in the program or the generator


def run(program, sched_seed=0, shuffle=True):
    """Runs a program once; returns (outcome, list of reasons it is tie-prone).

    shuffle=True shuffles each scheduler batch from the seed (trio's deterministic-scheduling
    mode, used under Hypothesis); False is trio's default: a batch reversed half the time.
    """
    trio_run._r.seed(sched_seed)
    saved = trio_run._ALLOW_DETERMINISTIC_SCHEDULING
    trio_run._ALLOW_DETERMINISTIC_SCHEDULING = shuffle
    causality = Causality()
    interp = Interpreter(causality)
    errors = []
    try:
        trio.run(interp.main, program, clock=trio.testing.MockClock(autojump_threshold=0),
                 instruments=[causality])
    except BaseException as e:  # noqa: B036 - Cancelled and groups are outcomes here
        errors = leaf_names(e)
    finally:
        trio_run._ALLOW_DETERMINISTIC_SCHEDULING = saved
    outcome = {"marks": sorted(interp.marks), "caught": dict(sorted(interp.caught.items())),
               "errors": sorted(errors), "end": interp.end}
    ties = causality.concurrent_pairs()
    if len(set(interp.timers)) != len(interp.timers):
        ties.append("two timers (sleep ends or deadlines) at one instant")
    return outcome, ties


# Eight schedules per program: six full shuffles and both of trio's default batch orders.
SCHEDULES = [(k, True) for k in range(6)] + [(k, False) for k in range(2)]


def judge(program):
    """trio's outcome if every schedule agrees and nothing is tie-prone; else (None, why)."""
    first, ties = run(program)
    if ties:
        return None, ties[0]
    for seed, shuffle in SCHEDULES:
        other, more = run(program, seed, shuffle)
        if more:
            return None, more[0]
        if other != first:
            return None, f"schedule {seed}/{shuffle} gives {other}, not {first}"
    if any(":" in e for e in first["errors"]):
        return None, f"the program itself is broken: {first['errors']}"
    return first, None


def dump(entries, out):
    # One entry a line: small diffs when the corpus is regenerated.
    out.write("[\n" + ",\n".join(json.dumps(e, separators=(",", ":")) for e in entries) + "\n]\n")


def generate(seed, count, log):
    entries = []
    for name, program, claim in HANDWRITTEN:
        outcome, why = judge(program)
        if outcome is None:
            raise SystemExit(f"hand-written {name} is tie-prone on trio: {why}")
        if not claim(outcome):
            raise SystemExit(f"hand-written {name}: trio says {outcome}, not what its claim says")
        entries.append({"name": name, "program": program, "trio": outcome})
    gen = Generator(seed)
    tried, rejected = 0, {}
    while len(entries) < len(HANDWRITTEN) + count:
        program = gen.program()
        tried += 1
        outcome, why = judge(program)
        if outcome is None:
            kind = " ".join(w for w in why.split(" at ")[0].split() if not w[-1].isdigit())
            rejected[kind] = rejected.get(kind, 0) + 1
            continue
        entries.append({"name": f"gen-{seed}-{len(entries) - len(HANDWRITTEN) + 1:04d}",
                        "program": program, "trio": outcome})
    log.write(f"{tried} generated, {tried - count} rejected as tie-prone:\n")
    for kind, n in sorted(rejected.items(), key=lambda kv: -kv[1])[:12]:
        log.write(f"  {n:5d}  {kind}\n")
    return entries


def check(path, log):
    with open(path) as f:
        entries = json.load(f)
    bad = 0
    for e in entries:
        for seed, shuffle in [(0, True)] + SCHEDULES:
            outcome, _ = run(e["program"], seed, shuffle)
            if outcome != e["trio"]:
                bad += 1
                log.write(f"MISMATCH {e['name']} (schedule {seed}/{shuffle}):\n  program {json.dumps(e['program'])}\n"
                          f"  file    {json.dumps(e['trio'])}\n  trio    {json.dumps(outcome)}\n")
                break
    log.write(f"{len(entries)} programs, {bad} mismatches against trio {trio.__version__}\n")
    return bad


def main():
    if trio.__version__ != TRIO_VERSION:
        sys.stderr.write(f"warning: the corpus was made with trio {TRIO_VERSION}, this is {trio.__version__}\n")
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate", help="hand-written programs, then COUNT generated ones, as JSON on stdout")
    g.add_argument("--seed", type=int, default=1)
    g.add_argument("--count", type=int, default=400)
    c = sub.add_parser("check", help="re-run a corpus file on trio and report mismatches")
    c.add_argument("path")
    r = sub.add_parser("run", help="run one program (JSON) and print its outcome")
    r.add_argument("program")
    a = p.parse_args()
    if a.cmd == "generate":
        dump(generate(a.seed, a.count, sys.stderr), sys.stdout)
    elif a.cmd == "check":
        sys.exit(1 if check(a.path, sys.stdout) else 0)
    else:
        program = json.loads(a.program)
        print(json.dumps(run(program)[0]))
        print("judged:", judge(program))


if __name__ == "__main__":
    main()
