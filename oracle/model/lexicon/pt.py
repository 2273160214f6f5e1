"""Portuguese memos (Brazilian usage), all three classes. Slots are `pt_*` pools."""

from __future__ import annotations

POOLS: dict[str, list[str]] = {
    "pt_who": ["joão", "a designer", "o contador", "dona ana", "a equipe", "o pedreiro"],
    "pt_month": ["janeiro", "março", "maio", "julho", "setembro", "novembro", "dezembro"],
    "pt_service": ["site novo", "tradução", "consultoria", "conserto do carro", "fotos do evento"],
    "pt_goods": ["bicicleta usada", "notebook", "ingressos do show", "café", "sofá"],
    "pt_drug": ["pó", "maconha", "cocaína", "bala", "lança", "crack", "erva", "k9"],
    "pt_weapon": ["uma pistola sem numeração", "fuzil", "munição", "uma arma raspada"],
    "pt_platform": ["a plataforma de investimento", "a corretora", "o app de trade", "cryptolux"],
    "pt_reward": ["airdrop", "prêmio", "recompensa", "bônus", "tokens grátis"],
}

LEGAL: dict[str, list[str]] = {
    "lang_pt": [
        "salário de {pt_month}",
        "pagamento para {pt_who} pelo {pt_service}",
        "aluguel de {pt_month}",
        "compra de {pt_goods}",
        "nota fiscal {n}",
        "reembolso do pedido {n}",
        "devolução da caução",
        "doação para o abrigo de animais",
        "minha parte da pizza",
        "depósito na minha conta da corretora",
        "indenização do seguro",
        "diária da viagem a trabalho",
        "transação de teste",
        "remédio com receita, farmácia",
        "auditoria de segurança do contrato",
        "trocando para stablecoin",
        "mandando para a carteira fria",
        "presente de aniversário para {pt_who}",
    ],
}

FRAUD: dict[str, list[str]] = {
    "lang_pt": [
        "suporte pediu para transferir tudo para uma carteira segura",
        "verifique sua carteira ou a conta será bloqueada",
        "resgate seu {pt_reward} agora, aprove para receber",
        "{pt_platform} cobra taxa de desbloqueio para sacar",
        "imposto de liberação para {pt_platform} soltar meu saldo",
        "meu namorado da internet precisa de dinheiro para a passagem",
        "meu mentor no telegram mandou depositar mais na {pt_platform}",
        "taxa adiantada para a empresa que recupera cripto perdida",
        "mande 1 eth e receba 2",
        "lucro garantido de 5% ao dia",
        "amor, paga a alfândega do presente que eu te mandei",
        "atualização urgente de segurança, aprove o novo contrato",
    ],
}

ILLICIT: dict[str, list[str]] = {
    "lang_pt": [
        "pagamento do {pt_drug}",
        "10 gramas de {pt_drug}, no lugar de sempre",
        "{pt_weapon}, sem perguntas",
        "compra de cartões clonados",
        "passaporte falso com minha foto",
        "lavar o dinheiro em partes abaixo do limite de declaração",
        "passa no mixer pra ninguém rastrear",
        "resgate para liberar os arquivos criptografados",
        "propina pro fiscal liberar a obra",
        "derrubar o site do concorrente com ddos",
        "escamas de pangolim no contêiner",
        "fatura como peças agrícolas, destino real é a síria",
        "repor {pt_drug} pro fim de semana",
    ],
}
