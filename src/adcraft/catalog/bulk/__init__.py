"""Bulk runs: a feed x formats x variants x rules, one work item per product."""
