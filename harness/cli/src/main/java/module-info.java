/** The {@code trellis} command. */
module dev.trellis.cli {
    requires dev.trellis.scenario;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;

    opens dev.trellis.cli to info.picocli, com.fasterxml.jackson.databind;
}
