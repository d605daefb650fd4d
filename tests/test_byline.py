from newsdigest.byline import Person, parse_byline_line, parse_credit, parse_dateline, split_names


def test_byline_on_its_own_line_gives_role_and_name():
    assert parse_byline_line("见习记者 金宇涵") == (Person("金宇涵", "见习记者"),)


def test_spaces_inside_a_name_are_layout():
    assert parse_byline_line("本报记者  刘  毅") == (Person("刘毅", "记者"),)
    assert split_names("张超梁 顾伟") == ["张超梁", "顾伟"]


def test_dateline_with_several_roles():
    dateline = parse_dateline("本报讯(记者沈孙晖 通讯员张超梁 顾伟)近日，记者来到宁波昌亚新材料科技股份有限公司新厂房")
    assert dateline.people == (Person("沈孙晖", "记者"), Person("张超梁", "通讯员"), Person("顾伟", "通讯员"))


def test_dateline_with_place_and_date_and_full_width_brackets():
    dateline = parse_dateline("本报北京2月2日电  （记者王珂）国务院新闻办公室2日举行新闻发布会")
    assert (dateline.place, dateline.date, dateline.people) == ("北京", "2月2日", (Person("王珂", "记者"),))


def test_half_width_brackets_and_spaces_after_role():
    assert parse_dateline("本报讯(记者 王佳辉 通讯员 陈冰曲 王越铭)近日").people == (
        Person("王佳辉", "记者"), Person("陈冰曲", "通讯员"), Person("王越铭", "通讯员"))


def test_sentences_are_not_bylines():
    assert parse_byline_line("记者日前来到凯福莱公司的生产车间，工人们正忙着组装") is None
    assert parse_byline_line("春耕进行时") is None
    assert parse_dateline("本报讯 近日，记者来到") is None


def test_photo_credits():
    assert parse_credit("廖业强 王晨辉 周鼎立 文/摄") == (
        Person("廖业强", "文/摄"), Person("王晨辉", "文/摄"), Person("周鼎立", "文/摄"))
    assert parse_credit("记者 王珂 摄") == (Person("王珂", "摄影"),)
    assert parse_credit("企业供图") == ()
    assert parse_credit("资料图片") == ()
