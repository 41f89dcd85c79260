// The admin's search forms end in a hidden submit button that Wagtail's templates
// (wagtailadmin/shared/header.html, home.html) label "Search" in English; screen
// readers announce it. Named here in Persian (portal/wagtail_hooks.py).
document.querySelectorAll('input[type="submit"][value="Search"]').forEach((button) => {
  button.value = "جستجو";
});
