"""Vietnamese memos, all three classes. Slots are `vi_*` pools."""

from __future__ import annotations

POOLS: dict[str, list[str]] = {
    "vi_who": ["anh minh", "chị lan", "kế toán", "chủ nhà", "nhóm thiết kế", "bác tư"],
    "vi_month": ["tháng một", "tháng ba", "tháng năm", "tháng bảy", "tháng chín", "tháng mười"],
    "vi_service": ["làm website", "dịch thuật", "tư vấn", "sửa xe", "chụp ảnh"],
    "vi_goods": ["xe đạp cũ", "máy tính xách tay", "vé ca nhạc", "cà phê", "bàn ghế"],
    "vi_drug": ["ma túy đá", "cần sa", "heroin", "thuốc lắc", "ke", "cỏ", "hàng trắng"],
    "vi_weapon": ["súng ngắn không số", "đạn", "súng tự chế", "thuốc nổ"],
    "vi_platform": ["sàn đầu tư", "sàn giao dịch", "ứng dụng trade", "vinacoinpro"],
    "vi_reward": ["airdrop", "phần thưởng", "tiền thưởng", "token miễn phí"],
}

LEGAL: dict[str, list[str]] = {
    "lang_vi": [
        "lương {vi_month}",
        "trả {vi_who} tiền {vi_service}",
        "tiền nhà {vi_month}",
        "mua {vi_goods}",
        "hóa đơn số {n}",
        "hoàn tiền đơn hàng {n}",
        "trả lại tiền đặt cọc",
        "ủng hộ đồng bào lũ lụt",
        "phần của tôi bữa tối",
        "nạp vào tài khoản sàn của tôi",
        "tiền bồi thường bảo hiểm",
        "công tác phí",
        "giao dịch thử",
        "thuốc theo đơn bác sĩ",
        "phí kiểm toán bảo mật hợp đồng thông minh",
        "đổi sang stablecoin",
        "chuyển sang ví lạnh",
        "quà sinh nhật cho {vi_who}",
    ],
}

FRAUD: dict[str, list[str]] = {
    "lang_vi": [
        "bộ phận hỗ trợ bảo chuyển tiền sang ví an toàn",
        "xác minh ví ngay nếu không tài khoản sẽ bị khóa",
        "nhận {vi_reward} ngay, phê duyệt để nhận",
        "{vi_platform} bắt nộp phí mở khóa mới cho rút tiền",
        "nộp thuế trước thì {vi_platform} mới giải ngân",
        "người yêu quen trên mạng cần tiền mua vé máy bay",
        "thầy trên telegram bảo nạp thêm vào {vi_platform}",
        "phí trả trước cho dịch vụ lấy lại tiền bị lừa",
        "gửi 1 eth nhận lại 2",
        "lợi nhuận đảm bảo 30% mỗi tháng",
        "anh yêu bảo phải đóng phí hải quan cho món quà",
        "cập nhật bảo mật khẩn cấp, phê duyệt hợp đồng mới",
    ],
}

ILLICIT: dict[str, list[str]] = {
    "lang_vi": [
        "tiền {vi_drug}",
        "hai gam {vi_drug}, chỗ cũ",
        "{vi_weapon}, không hỏi han",
        "mua thông tin thẻ tín dụng bị đánh cắp",
        "hộ chiếu giả có ảnh của tôi",
        "rửa tiền, chia nhỏ dưới mức phải khai báo",
        "cho qua mixer để không ai truy được",
        "tiền chuộc để giải mã dữ liệu",
        "tiền lót tay cho thanh tra",
        "thuê ddos đánh sập web đối thủ",
        "ngà voi và sừng tê giác giấu trong container",
        "ghi là nông cụ, hàng thật đi triều tiên",
        "lấy thêm {vi_drug} cho cuối tuần",
    ],
}
