package io.sluice.sim;

/** A request the simulated provider rejects with 400; the message is shown to the caller. */
final class BadRequest extends IllegalArgumentException {
  BadRequest(String message) {
    super(message);
  }
}
