"""API management: keys, plans, rate limits, quotas, signed URLs, usage metering."""
