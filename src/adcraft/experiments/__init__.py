"""A/B experiments: statistics, sequential monitoring, bandit allocation, click simulation."""
