//! Capital financing: how a partner pays for its share of an option's
//! capital, and the revenue charge that falls on its budget each year.
//!
//! A police force's medium-term financial plan gap is a revenue gap; capital
//! is financed by a revenue contribution in the year of spend, by reserves,
//! by capital grants and receipts, or by borrowing repaid through minimum
//! revenue provision (MRP, here straight line over the asset's life, from
//! the year after spend: CIPFA Prudential Code and the statutory MRP
//! guidance) and interest on the balance outstanding. Financing is a
//! transfer: it moves when the cost reaches the revenue budget, not what
//! the option costs, so present values, npsv and bcr do not see it
//! (docs/methodology.md, "Capital financing").
//!
//! Full precision, no rounding; negative capital (capital an option avoids)
//! gives negative charges by the same formulas.

use rust_decimal::Decimal;

use super::ComputeError;
use super::arith;
use crate::model::Financing as Method;

/// One partner's financing of its capital, each vector aligned with the
/// appraisal years.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Financed {
    /// The revenue charge of the capital in each year.
    pub charge: Vec<Decimal>,
    /// Minimum revenue provision (borrowing only; zeros otherwise).
    pub mrp: Vec<Decimal>,
    /// Interest on the balance brought forward (borrowing only).
    pub interest: Vec<Decimal>,
    /// Capital met from reserves (reserves only).
    pub reserves: Vec<Decimal>,
    /// Capital met from grants and receipts (grant only).
    pub grant: Vec<Decimal>,
    /// The borrowing outstanding at the end of each year (borrowing only).
    pub balance: Vec<Decimal>,
    /// The years after the appraisal period in which borrowing is still
    /// repaid, in order from the year after the period (borrowing only).
    pub after_period: Vec<LaterYear>,
    /// The undiscounted sum of the charges falling after the appraisal
    /// period, up to the last year of spend plus the asset life.
    pub charges_after_period: Decimal,
}

/// One year after the appraisal period of a borrowing partner's repayments.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct LaterYear {
    pub mrp: Decimal,
    pub interest: Decimal,
    pub charge: Decimal,
    pub balance: Decimal,
}

/// Finances `capital` (one partner's apportioned incremental nominal
/// capital, each appraisal year) by `method`; `rate` and `life` matter for
/// borrowing only.
///
/// # Errors
/// When a figure leaves exact decimals.
pub fn finance(
    capital: &[Decimal],
    method: Method,
    rate: Decimal,
    life: u32,
) -> Result<Financed, ComputeError> {
    let n = capital.len();
    let zeros = vec![Decimal::ZERO; n];
    let mut out = Financed {
        charge: zeros.clone(),
        mrp: zeros.clone(),
        interest: zeros.clone(),
        reserves: zeros.clone(),
        grant: zeros.clone(),
        balance: zeros,
        after_period: Vec::new(),
        charges_after_period: Decimal::ZERO,
    };
    match method {
        Method::Revenue => out.charge = capital.to_vec(),
        Method::Reserves => out.reserves = capital.to_vec(),
        Method::Grant => out.grant = capital.to_vec(),
        Method::Borrowing => borrow(capital, rate, life, &mut out)?,
    }
    Ok(out)
}

/// MRP_t = Σ C_s / L over 1 ≤ t − s ≤ L; B_t = B_(t−1) + C_t − MRP_t;
/// interest_t = rate × B_(t−1); charge_t = MRP_t + interest_t; run on past
/// the period (C = 0) to the last year of spend + L.
fn borrow(
    capital: &[Decimal],
    rate: Decimal,
    life: u32,
    out: &mut Financed,
) -> Result<(), ComputeError> {
    let n = capital.len();
    let life_years = usize::try_from(life.max(1)).unwrap_or(usize::MAX);
    let l = Decimal::from(life.max(1));
    let last_spend = capital.iter().rposition(|c| !c.is_zero());
    let end = last_spend.map_or(n, |s| s.saturating_add(life_years).saturating_add(1).max(n));
    let mut balance = Decimal::ZERO;
    for t in 0..end {
        let c = capital.get(t).copied().unwrap_or_default();
        let mut mrp = Decimal::ZERO;
        for s in t.saturating_sub(life_years)..t {
            let spent = capital.get(s).copied().unwrap_or_default();
            if !spent.is_zero() {
                mrp = arith::add(
                    mrp,
                    arith::div(spent, l, "minimum revenue provision")?,
                    "minimum revenue provision",
                )?;
            }
        }
        let interest = arith::mul(rate, balance, "interest on borrowing")?;
        let charge = arith::add(mrp, interest, "capital financing charge")?;
        balance = arith::sub(arith::add(balance, c, "borrowing")?, mrp, "borrowing")?;
        if t < n {
            if let Some(x) = out.mrp.get_mut(t) {
                *x = mrp;
            }
            if let Some(x) = out.interest.get_mut(t) {
                *x = interest;
            }
            if let Some(x) = out.charge.get_mut(t) {
                *x = charge;
            }
            if let Some(x) = out.balance.get_mut(t) {
                *x = balance;
            }
        } else {
            out.charges_after_period =
                arith::add(out.charges_after_period, charge, "charges after the period")?;
            out.after_period.push(LaterYear {
                mrp,
                interest,
                charge,
                balance,
            });
        }
    }
    Ok(())
}

/// The incremental expected cost of an option's risks, nominal, each
/// appraisal year: in all, and the part carried by risks naming one partner
/// (indexed by partner, then year).
#[derive(Debug, Clone, Copy)]
pub struct Contingency<'a> {
    pub total: &'a [Decimal],
    pub named: &'a [Vec<Decimal>],
    /// The part carried by shared risks with a `Key` of their own: each
    /// group's yearly amounts and its key's values (one per partner).
    pub keyed: &'a [(Vec<Decimal>, Vec<Decimal>)],
}

/// Each partner's contingency, each year, in whole pennies: a risk naming a
/// partner is that partner's; the rest (the rounded total less the rounded
/// named amounts) is split by the key by largest remainder, as a shared line
/// is. The partners' figures foot to the rounded total.
///
/// # Errors
/// When there is something to split and the key totals zero, or a figure
/// leaves exact decimals.
pub fn contingency_shares(
    c: &Contingency<'_>,
    key: &[Decimal],
    places: u32,
) -> Result<Vec<Vec<Decimal>>, ComputeError> {
    use super::apportion::{split, to_penny};
    let mut shares: Vec<Vec<Decimal>> = vec![Vec::with_capacity(c.total.len()); key.len()];
    for (j, total) in c.total.iter().enumerate() {
        let named: Vec<Decimal> = (0..key.len())
            .map(|p| {
                to_penny(
                    c.named
                        .get(p)
                        .and_then(|v| v.get(j))
                        .copied()
                        .unwrap_or_default(),
                    places,
                )
            })
            .collect();
        let mut common = arith::sub(
            to_penny(*total, places),
            arith::sum(named.iter().copied(), "contingency")?,
            "contingency",
        )?;
        let mut own = named;
        for (amounts, group_key) in c.keyed {
            let group = to_penny(amounts.get(j).copied().unwrap_or_default(), places);
            if group.is_zero() {
                continue;
            }
            let parts = split(group, group_key, places).map_err(|e| e.within("contingency"))?;
            for (o, part) in own.iter_mut().zip(parts) {
                *o = arith::add(*o, part, "contingency")?;
            }
            common = arith::sub(common, group, "contingency")?;
        }
        let parts = split(common, key, places).map_err(|e| e.within("contingency"))?;
        for ((s, part), own) in shares.iter_mut().zip(parts).zip(own) {
            s.push(arith::add(part, own, "contingency")?);
        }
    }
    Ok(shares)
}

/// The Financial Case of apportioned option `a`: each partner's financing,
/// net revenue effect and affordability over the budget years (every
/// appraisal year without a Budget sheet).
///
/// # Errors
/// When a figure leaves exact decimals.
pub(crate) fn financial_case(
    case: &crate::model::Case,
    a: &super::OptionApportionment,
    budget: Option<&super::BudgetGap>,
    contingency: &Contingency<'_>,
    key: &[Decimal],
) -> Result<super::FinancialCase, ComputeError> {
    let shares = contingency_shares(contingency, key, case.assumptions.unit.value.penny_places())?;
    let n = case.years.len();
    let f = &case.financing;
    let years: Vec<crate::model::FiscalYear> = match budget {
        Some(b) => case
            .years
            .iter()
            .filter(|y| b.years.contains(y))
            .copied()
            .collect(),
        None => case.years.clone(),
    };
    let zeros = vec![Decimal::ZERO; n];
    let mut region = Financed {
        charge: zeros.clone(),
        mrp: zeros.clone(),
        interest: zeros.clone(),
        reserves: zeros.clone(),
        grant: zeros.clone(),
        balance: zeros.clone(),
        after_period: Vec::new(),
        charges_after_period: Decimal::ZERO,
    };
    let mut region_capital = zeros.clone();
    let mut region_effect = zeros.clone();
    let mut region_contingency = zeros;
    let life = case.asset_life(a.option);
    let mut partners = Vec::with_capacity(a.partners.len());
    for pf in &a.partners {
        let within = |e: ComputeError| e.within("capital financing");
        let capital = pf.nominal.capital.clone();
        let method = f.of(pf.partner);
        let financed = finance(&capital, method, f.borrowing_rate, life).map_err(within)?;
        let mut effect = Vec::with_capacity(n);
        for j in 0..n {
            let at = |v: &Vec<Decimal>| v.get(j).copied().unwrap_or_default();
            let e = arith::sub(
                arith::sub(
                    at(&pf.nominal.savings),
                    at(&pf.nominal.revenue),
                    "net revenue effect",
                )?,
                at(&financed.charge),
                "net revenue effect",
            )?;
            effect.push(e);
        }
        let contingency = shares
            .get(pf.partner.index())
            .cloned()
            .unwrap_or_else(|| vec![Decimal::ZERO; n]);
        let after_contingency =
            arith::sub_each(&effect, &contingency, "net revenue effect less contingency")?;
        let mut total = Decimal::ZERO;
        let mut years_costing = Vec::new();
        let mut cost_in_those_years = Decimal::ZERO;
        for (y, net) in case.years.iter().zip(&after_contingency) {
            if years.contains(y) {
                let net = *net;
                total = arith::add(total, net, "net revenue effect less contingency")?;
                if net.is_sign_negative() && !net.is_zero() {
                    years_costing.push(*y);
                    cost_in_those_years = arith::sub(
                        cost_in_those_years,
                        net,
                        "net revenue effect less contingency",
                    )?;
                }
            }
        }
        arith::add_into(&mut region_contingency, &contingency, "contingency")?;
        arith::add_into(&mut region_capital, &capital, "capital")?;
        arith::add_into(&mut region_effect, &effect, "net revenue effect")?;
        arith::add_into(
            &mut region.charge,
            &financed.charge,
            "capital financing charge",
        )?;
        arith::add_into(&mut region.mrp, &financed.mrp, "minimum revenue provision")?;
        arith::add_into(
            &mut region.interest,
            &financed.interest,
            "interest on borrowing",
        )?;
        arith::add_into(&mut region.reserves, &financed.reserves, "reserves")?;
        arith::add_into(&mut region.grant, &financed.grant, "grant")?;
        arith::add_into(&mut region.balance, &financed.balance, "borrowing")?;
        add_later(&mut region.after_period, &financed.after_period)?;
        region.charges_after_period = arith::add(
            region.charges_after_period,
            financed.charges_after_period,
            "charges after the period",
        )?;
        partners.push(super::PartnerFinance {
            partner: pf.partner,
            method,
            capital,
            financed,
            net_revenue_effect: effect,
            contingency,
            after_contingency,
            total,
            years_costing,
            cost_in_those_years,
        });
    }
    let region_total = arith::sum(partners.iter().map(|p| p.total), "net revenue effect")?;
    let region_after_contingency = arith::sub_each(
        &region_effect,
        &region_contingency,
        "net revenue effect less contingency",
    )?;
    let capital_needed = arith::sum(
        region_capital
            .iter()
            .copied()
            .filter(Decimal::is_sign_positive),
        "capital",
    )?;
    let capital_avoided = arith::sum(
        region_capital
            .iter()
            .filter(|c| c.is_sign_negative())
            .map(|c| -*c),
        "capital",
    )?;
    Ok(super::FinancialCase {
        option: a.option,
        self_funding: partners
            .iter()
            .all(|p| !p.total.is_sign_negative() || p.total.is_zero()),
        years,
        partners,
        region_capital,
        capital_needed,
        capital_avoided,
        region,
        region_net_revenue_effect: region_effect,
        region_contingency,
        region_after_contingency,
        region_total,
    })
}

/// Adds one partner's later years into the region's, year by year.
fn add_later(region: &mut Vec<LaterYear>, partner: &[LaterYear]) -> Result<(), ComputeError> {
    if region.len() < partner.len() {
        region.resize(partner.len(), LaterYear::default());
    }
    for (r, p) in region.iter_mut().zip(partner) {
        r.mrp = arith::add(r.mrp, p.mrp, "minimum revenue provision")?;
        r.interest = arith::add(r.interest, p.interest, "interest on borrowing")?;
        r.charge = arith::add(r.charge, p.charge, "capital financing charge")?;
        r.balance = arith::add(r.balance, p.balance, "borrowing")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use rust_decimal::dec;

    use super::*;

    /// docs/methodology.md, "Contingency": 8.16 of incremental expected
    /// risk cost in a year, of which 1.00 is a risk naming partner B; key 3 : 1.
    #[test]
    fn contingency_worked_example() {
        let total = [dec!(8.16)];
        let named = [vec![dec!(0)], vec![dec!(1.00)]];
        let shares = contingency_shares(
            &Contingency {
                total: &total,
                named: &named,
                keyed: &[],
            },
            &[dec!(3), dec!(1)],
            2,
        )
        .unwrap();
        // The shared 7.16 splits 5.37 : 1.79; B also carries its own 1.00.
        assert_eq!(shares, [vec![dec!(5.37)], vec![dec!(2.79)]]);
        // Without named risks the whole 8.16 is shared: 6.12 and 2.04.
        let none = [vec![dec!(0)], vec![dec!(0)]];
        let shares = contingency_shares(
            &Contingency {
                total: &total,
                named: &none,
                keyed: &[],
            },
            &[dec!(3), dec!(1)],
            2,
        )
        .unwrap();
        assert_eq!(shares, [vec![dec!(6.12)], vec![dec!(2.04)]]);
    }

    /// docs/methodology.md, "Capital financing": 100 of capital in year 1
    /// and 50 avoided in year 3 of a 4-year period, asset life 2, rate 5%.
    #[test]
    fn financing_worked_examples() {
        let capital = [dec!(100), dec!(0), dec!(-50), dec!(0)];

        let r = finance(&capital, Method::Revenue, dec!(0.05), 2).unwrap();
        assert_eq!(r.charge, capital);
        assert_eq!(r.charges_after_period, dec!(0));

        let r = finance(&capital, Method::Reserves, dec!(0.05), 2).unwrap();
        assert_eq!(r.charge, [dec!(0); 4]);
        assert_eq!(r.reserves, capital);

        let r = finance(&capital, Method::Grant, dec!(0.05), 2).unwrap();
        assert_eq!(r.grant, capital);
        assert_eq!(r.charge, [dec!(0); 4]);

        // Borrowing: MRP 50 in years 2 and 3 for the 100, −25 in year 4 and
        // (after the period) year 5 for the −50. Balances 100, 50, −50, −25, 0;
        // interest 5% of the balance brought forward.
        let r = finance(&capital, Method::Borrowing, dec!(0.05), 2).unwrap();
        assert_eq!(r.mrp, [dec!(0), dec!(50), dec!(50), dec!(-25)]);
        assert_eq!(r.interest, [dec!(0), dec!(5), dec!(2.5), dec!(-2.5)]);
        assert_eq!(r.charge, [dec!(0), dec!(55), dec!(52.5), dec!(-27.5)]);
        assert_eq!(r.balance, [dec!(100), dec!(50), dec!(-50), dec!(-25)]);
        assert_eq!(
            r.after_period,
            [LaterYear {
                mrp: dec!(-25),
                interest: dec!(-1.25),
                charge: dec!(-26.25),
                balance: dec!(0),
            }]
        );
        // Year 5: MRP −25 and interest 5% × −25.
        assert_eq!(r.charges_after_period, dec!(-26.25));
        // Over the whole life the charges are the capital plus the interest.
        let total: Decimal = r.charge.iter().sum::<Decimal>() + r.charges_after_period;
        assert_eq!(
            total,
            dec!(50) + dec!(5) + dec!(2.5) - dec!(2.5) - dec!(1.25)
        );
    }
}
