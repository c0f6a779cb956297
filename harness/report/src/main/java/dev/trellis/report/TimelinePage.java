package dev.trellis.report;

/** The fixed half of {@code timeline.html}: its style sheet and the script that draws the events. */
final class TimelinePage {
    private TimelinePage() {}

    /** Category colours follow {@link TraceFacts#CATEGORIES}: c0 scheduling ... c5 other. */
    static final String CSS = """
            body { font: 13px/1.4 system-ui, sans-serif; margin: 0; color: #222; }
            header { padding: 8px 12px; border-bottom: 1px solid #ccc; }
            h1 { font-size: 18px; margin: 0 0 4px; }
            .headline { font-weight: bold; margin: 0 0 6px; }
            dl { display: grid; grid-template-columns: max-content auto; gap: 2px 12px; margin: 0 0 6px; }
            dt { color: #666; } dd { margin: 0; }
            code, pre { font: 12px/1.4 ui-monospace, monospace; }
            .legend { list-style: none; padding: 0; margin: 4px 0 0; display: flex; flex-wrap: wrap; gap: 12px; }
            .legend .m { position: static; display: inline-block; vertical-align: middle; margin-right: 4px; }
            #chart { overflow: auto; max-height: calc(100vh - 260px); position: relative; }
            #axis { position: relative; height: 20px; margin-left: 170px; border-bottom: 1px solid #ccc; }
            .tick { position: absolute; bottom: 0; width: 1px; height: 6px; background: #999; }
            .tlabel { position: absolute; top: 0; font-size: 11px; color: #555; white-space: nowrap; }
            .lane { display: flex; width: max-content; min-width: 100%; border-bottom: 1px solid #eee; }  /* as wide as its track, so the sticky label stays in view */
            .label { position: sticky; left: 0; z-index: 2; flex: none; width: 162px; padding: 0 4px; background: #fafafa;
                     border-right: 1px solid #ddd; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
            .track { position: relative; flex: none; height: 20px; }
            .m { position: absolute; top: 4px; width: 4px; height: 12px; cursor: pointer; }
            .c0 { background: #4a7bd0; } .c1 { background: #2a9d5c; } .c2 { background: #e08a00; }
            .c3 { background: #9b4dca; } .c4 { background: #d03030; } .c5 { background: #999; }
            .m.violation { top: 0; height: 20px; width: 6px; outline: 2px solid #000; background-color: #ff2d2d; z-index: 1; }
            .m.selected { outline: 2px solid #0af; }
            #details { position: sticky; bottom: 0; margin: 0; padding: 6px 12px; min-height: 3em; background: #fffbe6;
                       border-top: 1px solid #ccc; white-space: pre-wrap; }
            """;

    /**
     * Draws the lanes. Across, x is the event's index, not its virtual time: a simulated run spends
     * most of its events at a few instants (everything at 0 ms, then a burst at 100 ms), so a time
     * scale piles them into a few columns, and step numbers put a step's several events (step,
     * send, park) on one spot. One slot per event keeps every mark visible and in order; the axis
     * above labels virtual time where the clock moved, so the time is still read off the page.
     * Marks are built as one HTML string per lane holding only numbers and class names (texts go
     * in through textContent), and one delegated listener serves them all: 5,000 events cost
     * 5,000 small elements and no listeners.
     */
    static final String SCRIPT = """
            (function () {
              'use strict';
              var SLOT = 6, LABEL_GAP = 80;
              var tasks = JSON.parse(document.getElementById('trellis-tasks').textContent);
              var events = JSON.parse(document.getElementById('trellis-events').textContent);
              var violation = Number(document.body.getAttribute('data-violation'));
              var width = Math.max(1, events.length) * SLOT + 40;
              var lanesEl = document.getElementById('lanes');
              var laneIndex = {}, parts = [], i, k;
              for (k = 0; k < tasks.length; k++) {
                laneIndex[tasks[k].id] = k;
                parts.push([]);
              }
              for (i = 0; i < events.length; i++) {
                var e = events[i], lane = laneIndex[e[3]];
                if (lane === undefined) { continue; }
                parts[lane].push('<i class="m c' + Number(e[4]) + (i === violation ? ' violation' : '')
                    + '" style="left:' + (i * SLOT) + 'px" data-i="' + i + '"></i>');
              }
              for (k = 0; k < tasks.length; k++) {
                var row = document.createElement('div');
                row.className = 'lane';
                row.setAttribute('data-task', String(tasks[k].id));
                var label = document.createElement('div');
                label.className = 'label';
                label.textContent = tasks[k].label;
                label.title = tasks[k].label;
                var track = document.createElement('div');
                track.className = 'track';
                track.style.width = width + 'px';
                track.innerHTML = parts[k].join('');
                row.appendChild(label);
                row.appendChild(track);
                lanesEl.appendChild(row);
              }
              // The time axis: a tick wherever the virtual clock moved, a label where there is room.
              var axis = document.getElementById('axis'), ticks = [], lastLabel = -LABEL_GAP;
              axis.style.width = width + 'px';
              for (i = 0; i < events.length; i++) {
                if (i > 0 && events[i][2] === events[i - 1][2]) { continue; }
                ticks.push('<i class="tick" style="left:' + (i * SLOT) + 'px"></i>');
                if (i * SLOT - lastLabel >= LABEL_GAP) {
                  var t = document.createElement('span');
                  t.className = 'tlabel';
                  t.style.left = (i * SLOT) + 'px';
                  t.textContent = events[i][2];
                  axis.appendChild(t);
                  lastLabel = i * SLOT;
                }
              }
              axis.insertAdjacentHTML('beforeend', ticks.join(''));

              var details = document.getElementById('details'), pinned = null;
              function eventOf(node) {
                while (node && node !== lanesEl) {
                  if (node.getAttribute && node.getAttribute('data-i') !== null) { return node; }
                  node = node.parentNode;
                }
                return null;
              }
              function show(mark) {
                var e = events[Number(mark.getAttribute('data-i'))];
                details.textContent = 'event ' + e[0] + ' \\u00b7 step ' + e[1] + ' \\u00b7 t=' + e[2]
                    + ' \\u00b7 task ' + e[5] + (e[3] >= 0 ? ' (' + e[3] + ')' : '')
                    + (e[0] === violation ? ' \\u00b7 the violation' : '') + '\\n' + e[6];
              }
              lanesEl.addEventListener('mouseover', function (ev) {
                var mark = eventOf(ev.target);
                if (mark && !pinned) { show(mark); }
              });
              // A tap or click pins the details (touch has no hover); another click moves or releases them.
              lanesEl.addEventListener('click', function (ev) {
                var mark = eventOf(ev.target);
                if (pinned) { pinned.classList.remove('selected'); }
                pinned = mark && mark !== pinned ? mark : null;
                if (pinned) { pinned.classList.add('selected'); show(pinned); }
              });
              var hit = lanesEl.querySelector('.violation');
              if (hit) {
                show(hit);
                if (hit.scrollIntoView) { hit.scrollIntoView({block: 'center', inline: 'center'}); }
              }
            })();
            """;
}
