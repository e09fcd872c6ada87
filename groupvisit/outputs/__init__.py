"""What a session leaves behind: read models derived from its log, the roster and the schedule (never a
second copy of the facts), and the files and pages made from them."""
