//! Integration tests for `savefile`; the tests live in `tests/`, and shared helpers here.
