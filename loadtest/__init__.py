"""``make loadtest``: 50 concurrent users against gunicorn with production settings."""
