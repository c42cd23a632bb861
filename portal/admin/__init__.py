"""Administration pages for BKPSDM admins: users, audit log, and links to unit/competency management."""
