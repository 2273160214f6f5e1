"""Spanish memos, all three classes. Slots are `es_*` pools."""

from __future__ import annotations

POOLS: dict[str, list[str]] = {
    "es_who": ["maría", "el contador", "la diseñadora", "don josé", "el equipo", "lucía"],
    "es_month": ["enero", "marzo", "mayo", "julio", "septiembre", "noviembre", "diciembre"],
    "es_service": ["diseño web", "traducción", "asesoría legal", "mantenimiento", "fotografía"],
    "es_goods": ["una bicicleta usada", "el portátil", "entradas al concierto", "café", "muebles"],
    "es_drug": ["coca", "perico", "mota", "cristal", "heroína", "éxtasis", "fentanilo", "tusi"],
    "es_weapon": ["una pistola sin registro", "rifles", "munición", "una escopeta recortada"],
    "es_platform": ["la plataforma de inversión", "el exchange", "la app de trading", "bitmaxpro"],
    "es_reward": ["airdrop", "premio", "recompensa", "bono", "tokens gratis"],
}

LEGAL: dict[str, list[str]] = {
    "lang_es": [
        "sueldo de {es_month}",
        "pago a {es_who} por {es_service}",
        "alquiler de {es_month}",
        "compra de {es_goods}",
        "factura {n}, gracias",
        "reembolso del pedido {n}",
        "devolución de la fianza",
        "donación para el comedor social",
        "mi parte de la cena",
        "depósito a mi cuenta del exchange",
        "indemnización del seguro",
        "viáticos del viaje de trabajo",
        "transferencia de prueba",
        "receta médica, farmacia",
        "auditoría de seguridad del contrato",
        "paso a stablecoins",
        "a mi billetera fría",
        "regalo de cumpleaños para {es_who}",
    ],
}

FRAUD: dict[str, list[str]] = {
    "lang_es": [
        "soporte dice que mueva los fondos a una billetera segura",
        "verifique su billetera o la cuenta será suspendida",
        "reclama tu {es_reward} ahora, aprueba para recibir",
        "{es_platform} pide pagar la comisión de desbloqueo para retirar",
        "impuesto de liberación para que {es_platform} suelte mi saldo",
        "mi novio de internet necesita dinero para el pasaje",
        "mi mentor de telegram dice que deposite más en {es_platform}",
        "pago adelantado a la empresa que recupera mis criptos perdidas",
        "envía 1 eth y recibe 2",
        "rendimiento garantizado del 30% mensual",
        "mi amor, paga la aduana del regalo y te lo envío",
        "actualización urgente de seguridad, aprueba el nuevo contrato",
    ],
}

ILLICIT: dict[str, list[str]] = {
    "lang_es": [
        "pago por la {es_drug}",
        "dos gramos de {es_drug}, lo de siempre",
        "{es_weapon}, sin preguntas",
        "compra de tarjetas robadas",
        "pasaporte falso con mi foto",
        "lavar el dinero en partes pequeñas para no declarar",
        "pásalo por el mezclador para que no se rastree",
        "rescate para descifrar los archivos",
        "mordida para el inspector",
        "tumbar la página de la competencia con ddos",
        "colmillos de elefante, escondidos en el contenedor",
        "factura como repuestos, el destino real es irán",
        "surtir {es_drug} para el finde",
    ],
}
