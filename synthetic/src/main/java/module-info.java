/** The synthetic finger generator: seeded fingers, impressions, galleries and their files. */
module org.openabis.synthetic {
    exports org.openabis.synthetic;

    requires com.machinezoo.sourceafis;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.cbor;
}
