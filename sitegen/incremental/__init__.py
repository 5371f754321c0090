"""The build's memory: a verified, content-addressed cache and the memo the stages consult and fill."""
