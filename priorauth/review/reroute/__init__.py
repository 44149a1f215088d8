"""Re-routing after a policy change: the open requests the current records send elsewhere.

Saving a policy record never moves a request. A supervisor sees here the open requests whose
queue the records, as changed since they were routed, would no longer choose, and moves them
in one action, each with a line in its timeline naming the change. Due times stay as given.
"""
