"""Publication: writers, storage and the release switch."""
