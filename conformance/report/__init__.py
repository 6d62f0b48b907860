"""What a run leaves behind: summary.json, junit.xml and the sign-off report.html."""
