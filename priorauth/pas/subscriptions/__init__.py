"""PAS subscriptions: rest-hook notifications to an EHR when its requests are decided or pended.

R4 Subscriptions with the R5 backport profile, to the PAS subscription topic, filtered to the
client's own organization (`org-identifier=`). Handshake on creation; event notifications go
through the notification outbox (priorauth.notifications), written with the change.
"""
