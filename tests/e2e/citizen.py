"""Steps a citizen takes in more than one browser test, by their Persian labels."""


def answer_citizen_details(page):
    """«فرم ثبت مشخصات شهروند»: one answer per group, then send it."""
    page.get_by_role("group", name="جنسیت").get_by_label("زن").check()
    page.get_by_role("group", name="گروه سنی").get_by_label("۲۵ تا ۴۰ سال").check()
    page.get_by_role("group", name="تحصیلات").get_by_label("دیپلم", exact=True).check()
    page.get_by_role("group", name="نسبت شما با متقاضی").get_by_label("خود متقاضی هستم").check()
    page.get_by_role("button", name="ثبت مشخصات شهروند").click()
