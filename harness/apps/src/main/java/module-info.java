/** The programs of trio's tutorial, written on Trellis: demos, echo, two chats, Happy Eyeballs. */
module dev.trellis.apps {
    requires transitive dev.trellis.core;

    exports dev.trellis.apps;
}
