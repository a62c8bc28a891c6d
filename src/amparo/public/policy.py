"""Who may see what the public pages collect (rules predicates).

The public pages themselves need no sign-in. What visitors leave behind is personal data and is
for program staff with two-factor authentication only:
- partner inquiries (a nonprofit asking to place cases or mentorship requests): coordinators and
  program admins, who follow them up (the mentoring program's staff are program admins);
- the newsletter subscribers' list (e-mail addresses): coordinators export it, as the issue says.
"""

from __future__ import annotations

import rules

from amparo.core.predicates import is_coordinator, is_program_staff, two_factor_ok

rules.add_perm("public.view_partner_inquiries", is_program_staff & two_factor_ok)
rules.add_perm("public.change_partner_inquiry", is_program_staff & two_factor_ok)
rules.add_perm("public.export_newsletter_subscribers", is_coordinator & two_factor_ok)
