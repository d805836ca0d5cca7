package dev.gmem.api;

/** What a page holds after a conversion (CONTRACT.md, "content across conversion"). */
public enum ContentRule {
    /** One page, two states: the bytes stay. */
    PRESERVED,
    /** Shared and private views are different pages: each view keeps its own bytes. */
    SEPARATE_PAGES,
    /** The contract promises nothing: any bytes may be read until written. */
    UNSPECIFIED
}
