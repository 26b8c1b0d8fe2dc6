"""mle-track."""
