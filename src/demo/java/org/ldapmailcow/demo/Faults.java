package org.ldapmailcow.demo;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/** The failures a test has asked for; every method is synchronized, requests arrive on many threads. */
final class Faults {

    record Refusal(Predicate<RecordedRequest> when, String msgKey) {
    }

    record EmptyBody(Predicate<RecordedRequest> when, boolean applyWrite) {
    }

    private boolean available = true;
    private int failuresLeft;
    private int failureStatus;
    private final List<Refusal> refusals = new ArrayList<>();
    private final List<EmptyBody> emptyBodies = new ArrayList<>();

    synchronized void setAvailable(boolean available) {
        this.available = available;
    }

    synchronized boolean available() {
        return available;
    }

    synchronized void failNext(int count, int status) {
        failuresLeft = count;
        failureStatus = status;
    }

    /** The HTTP status to fail this request with, or 0 to answer it normally. */
    synchronized int takeFailure() {
        if (failuresLeft <= 0) {
            return 0;
        }
        failuresLeft--;
        return failureStatus;
    }

    synchronized void refuse(Predicate<RecordedRequest> when, String msgKey) {
        refusals.add(new Refusal(when, msgKey));
    }

    synchronized Refusal refusalFor(RecordedRequest request) {
        return refusals.stream().filter(r -> r.when().test(request)).findFirst().orElse(null);
    }

    synchronized void emptyBodyOnce(Predicate<RecordedRequest> when, boolean applyWrite) {
        emptyBodies.add(new EmptyBody(when, applyWrite));
    }

    /** The first matching empty-body rule, used up by this request; null when none matches. */
    synchronized EmptyBody takeEmptyBody(RecordedRequest request) {
        for (Iterator<EmptyBody> it = emptyBodies.iterator(); it.hasNext(); ) {
            EmptyBody rule = it.next();
            if (rule.when().test(request)) {
                it.remove();
                return rule;
            }
        }
        return null;
    }

    synchronized void clear() {
        available = true;
        failuresLeft = 0;
        refusals.clear();
        emptyBodies.clear();
    }
}
