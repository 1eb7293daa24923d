"""The model base and mixins that every feature's tables build on."""
