package dev.gmem.api;

/** What a conversion to private does to a page the host still holds a reference on. */
public enum ReferenceRule {
    /** References are not looked at (VM attributes: the private page is another page). */
    NO_CHECK,
    /** The call fails with EAGAIN at the first referenced page, and nothing changes state. */
    REFUSE_EAGAIN,
    /** The page waits in PENDING_PRIVATE until its last reference drops (the pending design). */
    PENDING
}
