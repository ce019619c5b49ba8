"""Catalogue scale: product feeds in, bulk runs over them, delivery of the results out.

feeds/      parse Merchant Center, Shopify, Meta and mapped CSV/JSON feeds, streamed
bulk/       a run = feed x formats x variants x rules, fanned out over worker processes
delivery/   signed webhooks, exports to a folder or S3 prefix, platform bulk-upload sheets
"""
