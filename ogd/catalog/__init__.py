"""The catalogue: models, vocabularies, actions and search."""
