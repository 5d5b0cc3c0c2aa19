"""Staff pages of electronic supervision (电子监察): the supervisor's console, the forecast, the
rules, supervision orders and accountability records, and the department's 督办/问责 page."""
