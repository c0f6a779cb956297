/** One execution's report folder: {@code report.md}, {@code trace.json}, {@code timeline.html}. */
module dev.trellis.report {
    requires transitive dev.trellis.core;
    requires com.fasterxml.jackson.core;

    exports dev.trellis.report;
}
